//! What a second client (py12306, run against the sim as a fidelity check) showed to be the sim's own and not
//! the real site's: the QR code of create-qr64, the text of a good order page, the account-data endpoint.

mod common;

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
