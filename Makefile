# The two commands a newcomer needs: `make serve` and `make test`.
# Both first make sure the build prerequisites are present (see scripts/ensure-build-deps).

.PHONY: serve test deps

deps:
	@scripts/ensure-build-deps

serve: deps
	cargo run --release -- serve

test: deps
	cargo test --release
