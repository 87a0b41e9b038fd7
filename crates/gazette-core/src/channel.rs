//! The channel tree (频道): any depth, each channel named in both languages.

use crate::{Lang, Slug};
use serde::Serialize;
use std::collections::HashMap;

/// One channel. `parent_id` is `None` for a top-level channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Channel {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: Slug,
    pub name_zh: String,
    pub name_en: String,
    pub position: i64,
}

impl Channel {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
}

/// All channels, indexed for the questions pages ask: a channel's path from
/// the root, its children, and which channel a URL path names.
#[derive(Debug, Clone, Default)]
pub struct ChannelTree {
    channels: Vec<Channel>,
    by_id: HashMap<i64, usize>,
}

impl ChannelTree {
    /// Builds the tree, ordering siblings by position then name. Channels
    /// whose parent is missing, or that sit in a cycle, are left out.
    pub fn new(mut channels: Vec<Channel>) -> Self {
        channels.sort_by(|a, b| a.position.cmp(&b.position).then(a.name_zh.cmp(&b.name_zh)));
        let by_id: HashMap<i64, usize> = channels
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        let mut tree = ChannelTree { channels, by_id };
        let reachable: Vec<bool> = tree
            .channels
            .iter()
            .map(|c| tree.reaches_root(c.id))
            .collect();
        let mut keep = reachable.into_iter();
        tree.channels.retain(|_| keep.next().unwrap_or(false));
        tree.by_id = tree
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        tree
    }

    fn reaches_root(&self, id: i64) -> bool {
        let mut current = Some(id);
        for _ in 0..=self.channels.len() {
            match current {
                None => return true,
                Some(id) => match self.by_id.get(&id) {
                    Some(&i) => current = self.channels[i].parent_id,
                    None => return false,
                },
            }
        }
        false
    }

    pub fn get(&self, id: i64) -> Option<&Channel> {
        self.by_id.get(&id).map(|&i| &self.channels[i])
    }

    pub fn roots(&self) -> impl Iterator<Item = &Channel> {
        self.channels.iter().filter(|c| c.parent_id.is_none())
    }

    /// A channel and every channel below it, at any depth.
    pub fn subtree(&self, id: i64) -> Vec<i64> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            out.push(id);
            stack.extend(self.children(id).map(|c| c.id));
        }
        out
    }

    pub fn children(&self, id: i64) -> impl Iterator<Item = &Channel> {
        self.channels
            .iter()
            .filter(move |c| c.parent_id == Some(id))
    }

    /// The channels from the root down to `id`, inclusive.
    pub fn path(&self, id: i64) -> Vec<&Channel> {
        let mut path = Vec::new();
        let mut current = self.get(id);
        while let Some(channel) = current {
            path.push(channel);
            current = channel.parent_id.and_then(|p| self.get(p));
        }
        path.reverse();
        path
    }

    /// The URL path of a channel, e.g. `/tech/ai/` (without language prefix).
    pub fn url_path(&self, id: i64) -> String {
        let mut url = String::from("/");
        for channel in self.path(id) {
            url.push_str(channel.slug.as_str());
            url.push('/');
        }
        url
    }

    /// The channel a sequence of slugs names, walking down from the root.
    pub fn find_by_path(&self, slugs: &[Slug]) -> Option<&Channel> {
        let mut parent = None;
        let mut found = None;
        for slug in slugs {
            let channel = self
                .channels
                .iter()
                .find(|c| c.parent_id == parent && &c.slug == slug)?;
            parent = Some(channel.id);
            found = Some(channel);
        }
        found
    }

    pub fn iter(&self) -> impl Iterator<Item = &Channel> {
        self.channels.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(id: i64, parent_id: Option<i64>, slug: &str) -> Channel {
        Channel {
            id,
            parent_id,
            slug: Slug::parse(slug).expect("test slug"),
            name_zh: slug.into(),
            name_en: slug.into(),
            position: id,
        }
    }

    fn slugs(path: &[&str]) -> Vec<Slug> {
        path.iter()
            .map(|s| Slug::parse(s).expect("test slug"))
            .collect()
    }

    #[test]
    fn paths_walk_from_the_root() {
        let tree = ChannelTree::new(vec![
            channel(1, None, "tech"),
            channel(2, Some(1), "ai"),
            channel(3, Some(2), "chips"),
        ]);
        assert_eq!(tree.url_path(3), "/tech/ai/chips/");
        assert_eq!(
            tree.find_by_path(&slugs(&["tech", "ai"])).map(|c| c.id),
            Some(2)
        );
        assert!(tree.find_by_path(&slugs(&["ai"])).is_none());
    }

    #[test]
    fn cycles_and_orphans_are_dropped() {
        let tree = ChannelTree::new(vec![
            channel(1, Some(2), "a"),
            channel(2, Some(1), "b"),
            channel(3, Some(99), "c"),
            channel(4, None, "d"),
        ]);
        assert_eq!(tree.iter().map(|c| c.id).collect::<Vec<_>>(), vec![4]);
    }
}
