//! Rust's std on WASI (Debian's rustc 1.63, no crates): the calls a Rust program makes through
//! std::fs, std::env, std::io, std::time and std::thread, each printed as one check line
//! (same format as check.h). Built with -C panic=abort: nothing here unwraps.
use std::env;
use std::fs::{self, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn check(name: &str, ok: bool, expected: &str, observed: String) {
    let observed = observed.replace('\n', "\\n");
    if ok {
        println!("CHECK {}: {} => PASS", name, observed);
    } else {
        println!("CHECK {}: {} => FAIL (expected {})", name, observed, expected);
    }
}

fn read(path: &str) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| format!("<{}>", e))
}

fn main() {
    let args: Vec<String> = env::args().collect();
    check("rust.args", args.len() == 4 && args[2] == "h\u{e9}llo w\u{f6}rld", "4 args, the third h\u{e9}llo w\u{f6}rld", format!("{:?}", args));
    let uni = env::var("UNICODE");
    check("rust.env", uni.as_deref() == Ok("\u{fc}n\u{ef}"), "UNICODE=\u{fc}n\u{ef}", format!("{:?}", uni));
    check("rust.env_empty", env::var("EMPTY").as_deref() == Ok(""), "EMPTY set to \"\"", format!("{:?}", env::var("EMPTY")));

    let w = fs::write("/sandbox/r.txt", "data");
    check("rust.fs.write_read", w.is_ok() && read("/sandbox/r.txt") == "data", "data", read("/sandbox/r.txt"));
    let c = fs::create_dir_all("/sandbox/a/b/c");
    check("rust.fs.create_dir_all", c.is_ok() && fs::metadata("/sandbox/a/b/c").map(|m| m.is_dir()).unwrap_or(false),
        "a directory", format!("{:?}", c));
    let m = fs::metadata("/sandbox/r.txt");
    check("rust.fs.metadata", m.as_ref().map(|m| m.len() == 4 && m.is_file()).unwrap_or(false), "a 4-byte file",
        format!("{:?}", m.as_ref().map(|m| m.len())));
    let age = m.as_ref().ok().and_then(|m| m.modified().ok()).and_then(|t| SystemTime::now().duration_since(t).ok());
    check("rust.fs.modified", age.map(|a| a < Duration::from_secs(60)).unwrap_or(false), "modified in the last minute", format!("{:?}", age));

    for _ in 0..2 {
        let _ = OpenOptions::new().append(true).create(true).open("/sandbox/log.txt").and_then(|mut f| f.write_all(b"line\n"));
    }
    check("rust.fs.append", read("/sandbox/log.txt") == "line\nline\n", "line\\nline\\n", read("/sandbox/log.txt"));

    let r = fs::rename("/sandbox/r.txt", "/sandbox/a/moved.txt");
    check("rust.fs.rename", r.is_ok() && read("/sandbox/a/moved.txt") == "data" && fs::metadata("/sandbox/r.txt").is_err(),
        "moved", format!("{:?}", r));
    let h = fs::hard_link("/sandbox/a/moved.txt", "/sandbox/hard.txt");
    check("rust.fs.hard_link", h.is_ok() && read("/sandbox/hard.txt") == "data", "a second name", format!("{:?}", h));
    #[allow(deprecated)]
    let s = fs::soft_link("a/moved.txt", "/sandbox/soft");
    let target = fs::read_link("/sandbox/soft");
    check("rust.fs.symlink", s.is_ok() && target.as_ref().map(|t| t.to_str() == Some("a/moved.txt")).unwrap_or(false),
        "a link reading a/moved.txt", format!("{:?} {:?}", s, target));
    let lm = fs::symlink_metadata("/sandbox/soft");
    check("rust.fs.symlink_metadata", lm.as_ref().map(|m| m.file_type().is_symlink()).unwrap_or(false), "a symlink",
        format!("{:?}", lm.as_ref().map(|m| m.file_type())));
    check("rust.fs.follow", read("/sandbox/soft") == "data", "data through the link", read("/sandbox/soft"));

    let mut names: Vec<String> = fs::read_dir("/sandbox")
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    check("rust.fs.read_dir", names == ["a", "hard.txt", "log.txt", "soft"], "a, hard.txt, log.txt, soft", format!("{:?}", names));

    let seeked = OpenOptions::new().read(true).write(true).open("/sandbox/hard.txt").and_then(|mut f| {
        f.seek(SeekFrom::Start(2))?;
        f.write_all(b"TA")?;
        f.seek(SeekFrom::Start(0))?;
        let mut s = String::new();
        f.read_to_string(&mut s)?;
        f.set_len(2)?;
        Ok(s)
    });
    check("rust.fs.seek_write_read", seeked.as_deref().ok() == Some("daTA"), "daTA", format!("{:?}", seeked));
    check("rust.fs.set_len", read("/sandbox/a/moved.txt") == "da", "da (through the other name)", read("/sandbox/a/moved.txt"));

    let rm = fs::remove_dir_all("/sandbox/a");
    check("rust.fs.remove_dir_all", rm.is_ok() && fs::metadata("/sandbox/a").is_err(), "gone", format!("{:?}", rm));
    let dangling = fs::metadata("/sandbox/soft");
    check("rust.fs.dangling", dangling.as_ref().err().map(|e| e.kind() == io::ErrorKind::NotFound).unwrap_or(false),
        "NotFound through the dangling link", format!("{:?}", dangling.map(|_| ())));

    let ro = fs::read_to_string("/ro/file.txt");
    check("rust.fs.read_only_read", ro.as_deref().ok() == Some("read only data\n"), "read only data", format!("{:?}", ro));
    let denied = fs::write("/ro/new.txt", "x");
    check("rust.fs.read_only_write", denied.as_ref().err().and_then(|e| e.raw_os_error()) == Some(69),
        "os error 69 (EROFS)", format!("{:?}", denied));
    let outside = fs::read_to_string("/etc/passwd");
    check("rust.fs.outside_mounts", outside.is_err(), "an error: nothing is mounted there", format!("{:?}", outside.map(|s| s.len())));

    let start = Instant::now();
    std::thread::sleep(Duration::from_millis(20));
    let slept = start.elapsed();
    check("rust.time.sleep", slept >= Duration::from_millis(20) && slept < Duration::from_secs(5), "about 20 ms", format!("{:?}", slept));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    check("rust.time.now", now > 1_577_836_800, "after 2020", format!("{}", now));

    let mut input = String::new();
    let got = io::stdin().read_to_string(&mut input);
    check("rust.stdin", got.is_ok() && input == "stdin line\n", "stdin line\\n", format!("{:?}", input));
    let mut map = std::collections::HashMap::new();
    map.insert("random_get seeds this map", 1);
    check("rust.hashmap", map.len() == 1, "a HashMap (seeded by random_get)", format!("{} entry", map.len()));
    let written = io::stderr().write_all(b"# stderr works\n");
    check("rust.stderr", written.is_ok(), "a write to stderr", format!("{:?}", written));
}
