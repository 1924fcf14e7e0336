// Prints SystemTime::now() in seconds (Rust std -> glibc clock_gettime -> vDSO).
fn main() {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    println!("{}", t.as_secs());
}
