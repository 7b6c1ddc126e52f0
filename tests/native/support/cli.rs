//! Running the `ca-policy` binary as a script would: arguments and standard input in, exit
//! code and output back. Shared by the CLI tests.

use std::ffi::OsStr;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `ca-policy ARGS` with `stdin` as its standard input. The input is written from a
/// thread, so a large one cannot deadlock against full output pipes.
pub fn output(args: &[&str], stdin: &[u8]) -> Output {
    output_os(args, stdin)
}

/// As `output`, with arguments that need not be UTF-8.
pub fn output_os<A: AsRef<OsStr>>(args: &[A], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ca-policy"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ca-policy runs");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let out = child.wait_with_output().unwrap();
    // The CLI may exit before reading everything (a usage error): a broken pipe is fine.
    let _ = writer.join();
    out
}

/// As `output`, with the exit code and the output as text.
pub fn ca_policy(args: &[&str], stdin: &[u8]) -> Run {
    let out = output(args, stdin);
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Writes `content` to `name` in this test binary's temp area, under `dir` (one per test file).
pub fn temp_file(dir: &str, name: &str, content: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}
