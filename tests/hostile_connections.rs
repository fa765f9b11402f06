//! Clients that open connections and never finish a request (slowloris): their connections are
//! closed after the header timeout, one address cannot take every connection, and other clients
//! are served meanwhile.

mod common;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpStream};
use std::time::{Duration, Instant};

use common::Server;
use socket2::{Domain, Socket, Type};

/// A TCP connection to the server from the loopback address `source` (127.0.0.x).
fn connect_from(server: &Server, source: Ipv4Addr) -> TcpStream {
    let target: SocketAddr = server.base_url.trim_start_matches("http://").parse().expect("socket address");
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
    socket.bind(&SocketAddrV4::new(source, 0).into()).expect("bind to the source address");
    socket.connect_timeout(&target.into(), Duration::from_secs(5)).expect("connected");
    let stream: TcpStream = socket.into();
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("read timeout");
    stream
}

/// Sends a whole request for `/robots.txt` and returns the status line, or `None` when the
/// server closed the connection without answering.
fn robots(stream: &mut TcpStream) -> Option<String> {
    stream.write_all(b"GET /robots.txt HTTP/1.1\r\nHost: kansrijk\r\nConnection: close\r\n\r\n").ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    answer.lines().next().map(ToOwned::to_owned)
}

/// Whether the server closes `stream` (end of file or reset) within `within`.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).expect("read timeout");
    let mut buffer = [0u8; 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(error) => return matches!(error.kind(), std::io::ErrorKind::ConnectionReset),
        }
    }
}

#[test]
fn half_open_connections_are_closed_and_do_not_starve_other_clients() {
    let server = Server::start(&["--header-timeout-s", "2", "--max-connections-per-client", "50"]);
    let attacker = Ipv4Addr::new(127, 0, 0, 1);
    let mut half_open: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut stream = connect_from(&server, attacker);
            let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: kansrijk\r\n");
            stream
        })
        .collect();

    let started = Instant::now();
    let mut other = connect_from(&server, Ipv4Addr::new(127, 0, 0, 2));
    assert_eq!(robots(&mut other).as_deref(), Some("HTTP/1.1 200 OK"), "another client is served");
    assert!(started.elapsed() < Duration::from_secs(1), "another client waited {:?}", started.elapsed());

    // Beyond its 50 connections, the attacker's connections were closed at once; the 50 it
    // holds are closed at the header timeout.
    let beyond = half_open.split_off(50);
    for mut stream in beyond {
        assert!(closed_within(&mut stream, Duration::from_secs(1)), "a connection beyond the per-client limit stayed open");
    }
    for stream in &mut half_open {
        assert!(closed_within(stream, Duration::from_secs(5)), "a half-open connection outlived the header timeout");
    }
    let mut again = connect_from(&server, attacker);
    assert_eq!(robots(&mut again).as_deref(), Some("HTTP/1.1 200 OK"), "the same address is served after the timeout");
}

#[test]
fn an_idle_connection_is_closed_after_the_header_timeout() {
    let server = Server::start(&["--header-timeout-s", "1"]);
    let mut silent = connect_from(&server, Ipv4Addr::new(127, 0, 0, 3));
    let started = Instant::now();
    assert!(closed_within(&mut silent, Duration::from_secs(5)), "a silent connection stays open");
    assert!(started.elapsed() >= Duration::from_millis(900), "closed before the timeout: {:?}", started.elapsed());
}
