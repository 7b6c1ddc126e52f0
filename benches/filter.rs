//! `cargo bench --bench filter`: checking a maximum-length (3072-character)
//! rule, as the editor does on every keystroke. Target: ≤ 10 µs per rule.
//!
//! Measured twice: wall-clock time (criterion's default) and the thread's
//! CPU time (`CLOCK_THREAD_CPUTIME_ID`), which does not count time
//! spent waiting for a core — on a shared 2-core build machine the wall-clock
//! figure mostly measures the neighbours.

use ca_builder::filter::{check, format, Mode, MAX_RULE_CHARS};
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

/// A valid rule of exactly 3072 characters built from the clauses real
/// tenants write (PAW name prefixes, join/compliance state, Autopilot IDs,
/// OS versions, extension attributes).
fn max_length_rule() -> String {
    let clauses = [
        r#"device.displayName -startsWith "CPAWT0""#,
        r#"(device.trustType -eq "AzureAD" -or device.trustType -eq "ServerAD")"#,
        r#"device.isCompliant -eq True"#,
        r#"device.physicalIds -notContains "[ZTDId]:6f1e2a9c-3b4d-4e5f-8a7b-1c2d3e4f5a6b""#,
        r#"device.operatingSystemVersion -in ["10.0.19045", "10.0.22621", "10.0.22631"]"#,
        r#"device.extensionAttribute1 -ne "Kiosk""#,
        r#"device.deviceOwnership -eq "Company""#,
        r#"device.mdmAppId -in ["0000000a-0000-0000-c000-000000000000"]"#,
        r#"device.model -notContains "Virtual Machine""#,
        r#"device.profileType -ne "SecureVM""#,
    ];
    let prefix = " -or device.displayName -eq \"";
    let mut rule = String::new();
    let mut i = 0;
    loop {
        let sep = if rule.is_empty() {
            ""
        } else if i % 3 == 0 {
            " -or "
        } else {
            " -and "
        };
        let next = clauses[i % clauses.len()];
        // Keep room for the filler clause below.
        if rule.len() + sep.len() + next.len() + prefix.len() + 2 > MAX_RULE_CHARS {
            break;
        }
        rule.push_str(sep);
        rule.push_str(next);
        i += 1;
    }
    // Pad with one more clause so the rule is exactly at the limit.
    let xs = MAX_RULE_CHARS - rule.len() - prefix.len() - 1;
    rule.push_str(prefix);
    rule.push_str(&"x".repeat(xs));
    rule.push('"');
    rule
}

fn bench<M: Measurement + 'static>(c: &mut Criterion<M>, suffix: &str) {
    let rule = max_length_rule();
    assert_eq!(rule.chars().count(), MAX_RULE_CHARS);
    let checked = check(&rule, Some(Mode::Include));
    assert!(checked.is_valid(), "{:?}", checked.diagnostics);

    c.bench_function(&format!("filter check 3072-char rule{suffix}"), |b| {
        b.iter(|| check(black_box(&rule), black_box(Some(Mode::Include))))
    });
    c.bench_function(&format!("filter format 3072-char rule{suffix}"), |b| {
        b.iter(|| format(black_box(&rule)))
    });
}

fn wall(c: &mut Criterion) {
    bench(c, "");
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    bench(c, " (thread CPU time)");
}

/// Nanoseconds of CPU time this thread has used.
struct ThreadCpuTime;

fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

static WALL: WallTime = WallTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns() - start
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Values are nanoseconds, exactly what the wall-time formatter shows.
        WALL.formatter()
    }
}

criterion_group!(wall_time, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu
}
criterion_main!(wall_time, cpu_time);
