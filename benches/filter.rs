//! `cargo bench --bench filter`: checking a maximum-length (3072-character)
//! rule, as the editor does on every keystroke. Target: ≤ 10 µs per rule.
//!
//! `cargo bench --bench filter -- hostile`: `check` and `render` over rules
//! of 3 KB, 64 KB and 1 MB of each hostile class (a deep `-not` chain, many
//! `)`, a long list, random text). Time and output must grow at most
//! linearly, and stop growing past `MAX_CHECKED_BYTES`; the bytes rendered
//! per case are printed once before it is timed.
//!
//! Measured twice: wall-clock time (criterion's default) and the thread's
//! CPU time (`CLOCK_THREAD_CPUTIME_ID`), which does not count time
//! spent waiting for a core — on a shared 2-core build machine the wall-clock
//! figure mostly measures the neighbours.

use ca_builder::filter::{check, format, render, Mode, MAX_RULE_CHARS};
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
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

/// `piece`s (from `make`, given its index) appended until the rule is `bytes` long.
fn grow(bytes: usize, mut make: impl FnMut(usize) -> String) -> String {
    let mut rule = String::with_capacity(bytes + 64);
    let mut i = 0;
    while rule.len() < bytes {
        rule.push_str(&make(i));
        i += 1;
    }
    rule
}

/// A rule of about `bytes` bytes of each hostile class.
fn hostile(class: &str, bytes: usize) -> String {
    match class {
        "deep-not" => grow(bytes, |_| "-not ".into()) + "device.isCompliant -eq True",
        "many-rparen" => "device.isCompliant -eq True".to_string() + &grow(bytes, |_| ")".into()),
        "long-list" => {
            "device.deviceId -in [".to_string()
                + &grow(bytes, |i| {
                    format!("\"{i:08x}-0000-1111-2222-bbbbbbbbbbbb\", ")
                })
                + "\"x\"]"
        }
        _ => {
            // xorshift over the characters of rules, pasted damage and controls.
            let chars: Vec<char> =
                "device.trustType -eq -and -or -not \"'()[],True\u{1b}\0\u{202e}\u{feff}\t\né“–漢==AzureAD "
                    .chars()
                    .collect();
            let mut x = 0x9e37_79b9_7f4a_7c15u64;
            grow(bytes, |_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                chars[(x % chars.len() as u64) as usize].to_string()
            })
        }
    }
}

fn bench_hostile<M: Measurement + 'static>(c: &mut Criterion<M>, suffix: &str) {
    for class in ["deep-not", "many-rparen", "long-list", "random"] {
        let mut group = c.benchmark_group(format!("filter hostile {class}{suffix}"));
        for (label, bytes) in [("3KB", 3 << 10), ("64KB", 64 << 10), ("1MB", 1 << 20)] {
            let rule = hostile(class, bytes);
            let checked = check(&rule, Some(Mode::Include));
            let rendered = render(&rule, &checked.diagnostics);
            if suffix.is_empty() {
                eprintln!(
                    "hostile {class} {label}: {} bytes in, {} diagnostics, {} bytes rendered",
                    rule.len(),
                    checked.diagnostics.len(),
                    rendered.len()
                );
            }
            group.throughput(Throughput::Bytes(rule.len() as u64));
            group.bench_with_input(BenchmarkId::new("check", label), &rule, |b, rule| {
                b.iter(|| check(black_box(rule), black_box(Some(Mode::Include))))
            });
            group.bench_with_input(BenchmarkId::new("render", label), &rule, |b, rule| {
                b.iter(|| render(black_box(rule), black_box(&checked.diagnostics)))
            });
        }
        group.finish();
    }
}

fn wall(c: &mut Criterion) {
    bench(c, "");
    bench_hostile(c, "");
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    bench(c, " (thread CPU time)");
    bench_hostile(c, " (thread CPU time)");
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
