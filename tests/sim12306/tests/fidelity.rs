//! What a second client (py12306, run against the sim as a fidelity check) showed to be the sim's own and not
//! the real site's: the QR code of create-qr64, the text of a good order page, the account-data endpoint.

mod common;

use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::*;

/// Reads a PNG back into its QR text, as a phone (or py12306's terminal printer) would.
fn decode_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let frame = reader.next_frame(&mut buf).expect("a frame");
    assert_eq!(frame.color_type, png::ColorType::Grayscale);
    assert_eq!(frame.bit_depth, png::BitDepth::Eight);
    let (w, h) = (frame.width as usize, frame.height as usize);
    let stride = frame.line_size;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * stride + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    let (_, text) = grids[0].decode().expect("a readable QR code");
    text
}

#[test]
fn create_qr64_draws_the_uuid_url() {
    let sim = start();
    let mut c = Client::new(&sim);
    let v = c.post_json("/passport/web/create-qr64", "appid=otn");
    assert_eq!(v["result_code"], "0");
    let uuid = v["uuid"].as_str().expect("uuid");
    let png = STANDARD
        .decode(v["image"].as_str().expect("image"))
        .expect("base64");
    // PROTOCOL §1.1 #10: the code says the app's download page with the uuid (WIND21).
    assert_eq!(
        decode_qr(&png),
        format!(
            "https://mobile.12306.cn/otsmobile/h5/otsbussiness/downloadapp/downloadapp.html?loginUUID={uuid}"
        )
    );
    // A second code is another uuid, and says so.
    let v2 = c.post_json("/passport/web/create-qr64", "appid=otn");
    let uuid2 = v2["uuid"].as_str().expect("uuid");
    assert_ne!(uuid, uuid2);
    let png2 = STANDARD
        .decode(v2["image"].as_str().expect("image"))
        .expect("base64");
    assert!(decode_qr(&png2).ends_with(uuid2));
}

/// Texts a client may search a page for to tell a refusal: the error page's (PY12306 checks the first, PROTOCOL
/// §5.3) and the 2026 rate-limit answer's (§6).
const REFUSAL_TEXTS: [&str; 3] = ["系统忙，请稍后重试", "系统忙", "网络可能存在问题"];

#[test]
fn a_good_order_page_carries_no_refusal_text() {
    let sim = start();
    let mut c = logged_in(&sim);
    let (_, page) = open_order_page(&mut c, &date_in(2), "AOH", "VNP", "G2");
    assert!(!page.token.is_empty());
    for text in REFUSAL_TEXTS {
        assert!(
            !page.html.contains(text),
            "the order page contains {text:?}"
        );
    }
    // Neither does the real one of 2024 (INITDC24), when the shared samples are there.
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/12306/samples/initDc.2024-04.html");
    match std::fs::read_to_string(&sample) {
        Ok(real) => {
            for text in REFUSAL_TEXTS {
                assert!(!real.contains(text), "the 2024 page contains {text:?}");
            }
        }
        Err(_) => eprintln!("skipping: sample initDc.2024-04.html not present"),
    }
    // The busy page itself still says it.
    let a = c.get("/otn/confirmPassenger/initDc", Some(QUERY_REFERER));
    assert!(a.body.contains("系统忙，请稍后重试"));
}

#[test]
fn account_data_of_the_logged_in_user() {
    let sim = start();
    let mut c = Client::new(&sim);
    let path = "/otn/modifyUser/initQueryUserInfoApi";
    let a = c.get(path, None);
    assert_eq!(a.status, 302, "not logged in");
    assert!(a
        .location
        .as_deref()
        .is_some_and(|l| l.starts_with("/otn/passport?redirect=")));
    c.login();
    // PROTOCOL §1.1 #14: GET, the answer's data.userDTO.loginUserDTO (py12306 reads `name`).
    let v = c.get(path, None).json();
    assert_eq!(v["status"], true);
    let login_user = &v["data"]["userDTO"]["loginUserDTO"];
    assert_eq!(login_user["name"], "张三");
    assert_eq!(login_user["user_name"], "demo");
    assert_eq!(login_user["id_no"], "1101***********012");
    assert_eq!(v["data"]["userDTO"]["mobile_no"], "139****0001");
    // Some clients POST it.
    let v = c.post_json(path, "");
    assert_eq!(v["data"]["userDTO"]["loginUserDTO"]["name"], "张三");
}
