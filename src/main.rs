fn main() -> std::process::ExitCode {
    kansrijk::cli::main()
}
