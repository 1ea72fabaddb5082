//! The self-signed certificate for kyfw.12306.cn, www.12306.cn, localhost and 127.0.0.1, made at start.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;

/// TLS setup: the server config and the certificate in PEM (for clients that want to trust it).
pub struct Tls {
    pub config: Arc<ServerConfig>,
    pub cert_pem: String,
    pub cert_der: Vec<u8>,
}

/// A self-signed certificate for the 12306 host names and the TLS config serving it.
pub fn make() -> Result<Tls, String> {
    let names = vec![
        "kyfw.12306.cn".to_string(),
        "www.12306.cn".to_string(),
        "localhost".to_string(),
        "127.0.0.1".to_string(),
    ];
    let ck = rcgen::generate_simple_self_signed(names).map_err(|e| format!("certificate: {e}"))?;
    let cert_pem = ck.cert.pem();
    let cert_der = ck.cert.der().to_vec();
    let cert = CertificateDer::from(cert_der.clone());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("tls: {e}"))?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .map_err(|e| format!("tls: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        config: Arc::new(config),
        cert_pem,
        cert_der,
    })
}
