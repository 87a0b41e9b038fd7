//! What can go wrong with a file: the uploader's problem (refused, with a
//! message they can act on) or ours.

/// An error of the photo pipeline.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The file is not accepted; the message says why, for the uploader.
    #[error("{0}")]
    Refused(String),
    /// An encoder failed on a good image: not the uploader's fault.
    #[error("could not encode the image: {0}")]
    Encode(String),
}

impl MediaError {
    pub(crate) fn refused(message: impl Into<String>) -> Self {
        MediaError::Refused(message.into())
    }
}
