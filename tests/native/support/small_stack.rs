//! Running one generated case on a thread with a small, fixed stack, named after the case: a
//! panic fails with the case's name, and unbounded recursion overflows the stack and aborts the
//! test binary (Rust cannot catch an overflow) with a message naming the thread, so the case.

pub fn run<T: Send + 'static>(
    case: &str,
    stack: usize,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let joined = std::thread::Builder::new()
        .name(case.chars().take(80).collect())
        .stack_size(stack)
        .spawn(f)
        .expect("spawn a case thread")
        .join();
    match joined {
        Ok(v) => v,
        Err(e) => {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{case}: panicked: {why}")
        }
    }
}
