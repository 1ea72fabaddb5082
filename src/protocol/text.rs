//! 12306's texts made fit to show and to keep: its messages may carry HTML (`您还有未处理的订单，请您到<a
//! href="../queryOrder/initNoComplete">[未完成订单]</a>进行处理!`, PROTOCOL.md §6), personal numbers, and any length.
//! Every text the core reports or stores goes through [`for_user`]: tags removed (the text is shown as text,
//! never as HTML), ID and mobile numbers masked the way 12306 masks them itself (`1101***********012`,
//! `139****0001`), whitespace folded, and at most [`MAX_TEXT_CHARS`] characters kept.

/// The longest text the core keeps or reports (characters); longer ones end in `…`.
pub const MAX_TEXT_CHARS: usize = 300;

/// Tags out, the common entities decoded, personal numbers masked, whitespace folded, length capped.
pub fn for_user(text: &str) -> String {
    let plain = strip_html(text);
    let masked = mask_personal(&plain);
    let folded = masked.split_whitespace().collect::<Vec<_>>().join(" ");
    cap(&folded, MAX_TEXT_CHARS)
}

/// The text without `<…>` tags, with `&nbsp; &lt; &gt; &quot; &#39; &amp;` decoded (after the tags are gone, so
/// a decoded `<` never starts a tag).
pub fn strip_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => in_tag = false,
            (false, c) => out.push(c),
            (true, _) => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Masks mainland ID numbers (15 to 18 characters, digits with a final `X` allowed: the first 4 and last 3
/// kept) and mobile numbers (11 digits starting `13`–`19`: the first 3 and last 4 kept), as 12306 shows them,
/// when they stand alone (not inside a longer token of letters and digits, like a train number). Other digit
/// runs (order numbers, times, counts) are left alone; already masked numbers stay as they are. The extension's
/// `popup/mask.js` applies the same rule to what it shows.
pub fn mask_personal(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let alnum = |i: usize| chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let mut end = i;
        // An ID number may end in X.
        if (14..=17).contains(&(end - start))
            && chars.get(end).is_some_and(|c| matches!(c, 'X' | 'x'))
        {
            end += 1;
        }
        let alone = (start == 0 || !alnum(start - 1)) && !alnum(end);
        let run: String = chars[start..end].iter().collect();
        let len = end - start;
        let keep = match len {
            15..=18 if alone => Some((4, 3)),
            11 if alone && run.starts_with('1') && !run[1..].starts_with(['0', '1', '2']) => {
                Some((3, 4))
            }
            _ => None,
        };
        match keep {
            Some((head, tail)) => {
                out.push_str(&run[..head]);
                out.extend(std::iter::repeat_n('*', len - head - tail));
                out.push_str(&run[len - tail..]);
            }
            None => out.push_str(&run),
        }
        i = end;
    }
    out
}

/// At most `max` characters, with `…` in place of the rest.
pub fn cap(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_removed_and_entities_decoded() {
        assert_eq!(
            for_user("您还有未处理的订单，请您到<a href=\"../queryOrder/initNoComplete\">[未完成订单]</a>进行处理!"),
            "您还有未处理的订单，请您到[未完成订单]进行处理!"
        );
        assert_eq!(
            strip_html("a&nbsp;&lt;b&gt; &amp; <script>x</script>"),
            "a <b> & x"
        );
    }

    #[test]
    fn personal_numbers_are_masked_like_12306_does() {
        let cases = [
            (
                "证件 110101199001011234 已核验",
                "证件 1101***********234 已核验",
            ),
            ("证件 11010119900101123X", "证件 1101***********23X"),
            ("老证件 110101900101123", "老证件 1101********123"),
            ("手机 13912345678 联系", "手机 139****5678 联系"),
            // Already masked, order numbers, times, counts, train numbers: unchanged.
            (
                "1101***********012 139****0001",
                "1101***********012 139****0001",
            ),
            (
                "订单号 E900000123，时间 1796054400000，余票 20 张，5l000G778400",
                "订单号 E900000123，时间 1796054400000，余票 20 张，5l000G778400",
            ),
            ("电话 23912345678", "电话 23912345678"),
            (
                "inside a token: A110101199001011234",
                "inside a token: A110101199001011234",
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(mask_personal(raw), want, "{raw}");
        }
    }

    #[test]
    fn long_texts_are_capped() {
        let long = "忙".repeat(1000);
        let t = for_user(&long);
        assert_eq!(t.chars().count(), MAX_TEXT_CHARS);
        assert!(t.ends_with('…'));
        assert_eq!(for_user("  a \n\t b  "), "a b");
    }
}
