//! Where a node keeps its index: a folder holding one index folder per
//! build (`index-<time>`) and `current`, the name of the one in use.
//! A full rebuild (`gazette reindex`) writes a new folder beside the live
//! one, then replaces `current` in one rename; a server notices on its
//! next look ([`IndexHome::current_name`]), opens the new index and
//! deletes the old one. So searches keep being answered throughout.

use crate::SearchError;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct IndexHome {
    root: PathBuf,
}

const CURRENT: &str = "current";

impl IndexHome {
    pub fn new(root: impl Into<PathBuf>) -> IndexHome {
        IndexHome { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The live index folder's name, if one was ever made.
    pub fn current_name(&self) -> Option<String> {
        let name = std::fs::read_to_string(self.root.join(CURRENT)).ok()?;
        let name = name.trim();
        is_index_name(name).then(|| name.to_owned())
    }

    pub fn path_of(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// A new, empty folder for a build, named after now (later builds sort
    /// after earlier ones).
    pub fn new_build(&self) -> Result<(String, PathBuf), SearchError> {
        std::fs::create_dir_all(&self.root)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let name = format!("index-{stamp:024}");
        let path = self.root.join(&name);
        std::fs::create_dir_all(&path)?;
        Ok((name, path))
    }

    /// Makes `name` the live index: a new file renamed over `current`.
    pub fn switch_to(&self, name: &str) -> Result<(), SearchError> {
        let next = self.root.join(format!("{CURRENT}.next"));
        std::fs::write(&next, name)?;
        std::fs::rename(&next, self.root.join(CURRENT))?;
        Ok(())
    }

    /// Deletes the index folders older than the live one (a newer one may
    /// be a build still being written).
    pub fn remove_older_than(&self, live: &str) {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_index_name(&name)
                && name.as_str() < live
                && let Err(error) = std::fs::remove_dir_all(entry.path())
            {
                tracing::warn!(%error, name, "could not delete an old search index");
            }
        }
    }
}

fn is_index_name(name: &str) -> bool {
    name.strip_prefix("index-")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_switch_names_the_new_folder_and_old_ones_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        let home = IndexHome::new(dir.path());
        assert_eq!(home.current_name(), None);
        let (old, _) = home.new_build().expect("build");
        home.switch_to(&old).expect("switch");
        let (new, _) = home.new_build().expect("build");
        home.switch_to(&new).expect("switch");
        assert_eq!(home.current_name().as_deref(), Some(new.as_str()));
        home.remove_older_than(&new);
        assert!(!home.path_of(&old).exists());
        assert!(home.path_of(&new).exists());
    }
}
