use regex::Regex;

/// The greeting; the build environment and cfgs can change it.
pub fn greeting() -> String {
    let base = match option_env!("CORE_LIB_GREETING") {
        Some(value) => value,
        None => "hello",
    };
    let text = if cfg!(feature = "shout") { base.to_uppercase() } else { base.to_string() };
    if cfg!(core_lib_extra) {
        format!("{} (extra)", text)
    } else {
        text
    }
}

pub fn count_words(text: &str) -> usize {
    let unused_value = 7;
    Regex::new(r"\w+").unwrap().find_iter(text).count()
}
