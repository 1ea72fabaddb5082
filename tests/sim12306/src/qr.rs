//! The QR-login picture of `create-qr64`: a real QR code of the URL the 12306 app opens (PROTOCOL §1.1 #10),
//! drawn as a greyscale PNG. Clients that show the picture, or read it back as py12306 does, get the real thing.

use qrcode::{Color, QrCode};

/// What the QR code of a login uuid says: the app's download page with the uuid (WIND21 `bot/api.py`,
/// PROTOCOL §1.1 #10).
pub const LOGIN_URL_PREFIX: &str =
    "https://mobile.12306.cn/otsmobile/h5/otsbussiness/downloadapp/downloadapp.html?loginUUID=";

/// Pixels per QR module: small enough for a short base64 answer, large enough for any reader.
const MODULE_PX: usize = 5;
/// Light modules around the code, as the QR standard asks for.
const QUIET_ZONE: usize = 4;

/// Why a picture could not be made (neither happens for a uuid-sized text).
#[derive(Debug)]
pub enum QrImageError {
    /// The text does not fit in a QR code.
    Encode(qrcode::types::QrError),
    /// The PNG encoder failed.
    Png(png::EncodingError),
}

impl std::fmt::Display for QrImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QrImageError::Encode(e) => write!(f, "QR encoding: {e}"),
            QrImageError::Png(e) => write!(f, "PNG encoding: {e}"),
        }
    }
}

/// The URL a login QR code encodes for `uuid`.
pub fn login_url(uuid: &str) -> String {
    format!("{LOGIN_URL_PREFIX}{uuid}")
}

/// A PNG (8-bit greyscale, black on white, with a quiet zone) of the QR code of `text`.
pub fn png_of(text: &str) -> Result<Vec<u8>, QrImageError> {
    let code = QrCode::new(text.as_bytes()).map_err(QrImageError::Encode)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * MODULE_PX;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
        for y in my * MODULE_PX..(my + 1) * MODULE_PX {
            let row = y * side;
            pixels[row + mx * MODULE_PX..row + (mx + 1) * MODULE_PX].fill(0);
        }
    }
    let side_u32 = u32::try_from(side).unwrap_or(u32::MAX);
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side_u32, side_u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(QrImageError::Png)?;
    writer
        .write_image_data(&pixels)
        .map_err(QrImageError::Png)?;
    writer.finish().map_err(QrImageError::Png)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_of_the_right_size() {
        let png = png_of(&login_url("abc")).expect("encodes");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let reader = decoder.read_info().expect("a PNG");
        let info = reader.info();
        assert_eq!(info.width, info.height);
        assert_eq!(info.width as usize % MODULE_PX, 0);
    }
}
