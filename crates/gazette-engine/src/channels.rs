//! Managing the channel tree: add, rename, move, reorder and retire
//! channels. Every path a channel had keeps redirecting (to where the
//! channel is now, or, once retired, to the channel that took its
//! articles); articles keep their ids, so their old addresses redirect as
//! any article's do. Each change is a change-log entry on which every node
//! forgets every page (the channel bar is on all of them).

use crate::staff::{Action, Actor, permissions};
use crate::{Engine, EngineError};
use gazette_core::{ChannelTree, Slug};
use gazette_store::StoreError;
use gazette_store::curation::ChannelChange;

fn may_manage(actor: &Actor<'_>) -> Result<(), EngineError> {
    match actor.account {
        Some(account) if permissions::allowed(account.role, Action::ManageChannels) => Ok(()),
        None if actor.is_command_line() => Ok(()),
        _ => Err(EngineError::Forbidden(
            "your role may not change the channel tree".into(),
        )),
    }
}

/// A channel's path (`news/china`).
pub fn path_of(tree: &ChannelTree, id: i64) -> String {
    tree.path(id)
        .iter()
        .map(|c| c.slug.as_str())
        .collect::<Vec<_>>()
        .join("/")
}

fn clean_name(label: &str, text: &str) -> Result<String, EngineError> {
    let text = crate::newsroom::draft::clean_line(text);
    if text.is_empty() || text.chars().count() > 40 {
        return Err(EngineError::BadRequest(format!(
            "the {label} name must have 1 to 40 characters"
        )));
    }
    Ok(text)
}

fn conflict(e: StoreError) -> EngineError {
    match e {
        StoreError::Conflict(message) => EngineError::Conflict(message),
        StoreError::NotFound => EngineError::NotFound("no such channel".into()),
        other => other.into(),
    }
}

impl Engine {
    /// The channel tree, for the channels page.
    pub async fn managed_channels(&self, actor: &Actor<'_>) -> Result<ChannelTree, EngineError> {
        may_manage(actor)?;
        Ok(ChannelTree::new(self.store.channels().await?))
    }

    /// Articles filed under a channel (any status).
    pub async fn channel_article_count(
        &self,
        actor: &Actor<'_>,
        id: i64,
    ) -> Result<i64, EngineError> {
        may_manage(actor)?;
        Ok(self.store.channel_article_count(id).await?)
    }

    fn checked_parent(
        tree: &ChannelTree,
        id: Option<i64>,
        parent: Option<i64>,
    ) -> Result<(), EngineError> {
        let Some(parent) = parent else { return Ok(()) };
        if tree.get(parent).is_none() {
            return Err(EngineError::BadRequest(format!(
                "there is no channel {parent}"
            )));
        }
        if let Some(id) = id
            && tree.path(parent).iter().any(|c| c.id == id)
        {
            return Err(EngineError::BadRequest(
                "a channel cannot move under itself or one of its own channels".into(),
            ));
        }
        Ok(())
    }

    /// Adds a channel; its id.
    pub async fn add_channel(
        &self,
        actor: &Actor<'_>,
        parent: Option<i64>,
        slug: &str,
        name_zh: &str,
        name_en: &str,
    ) -> Result<i64, EngineError> {
        may_manage(actor)?;
        let tree = ChannelTree::new(self.store.channels().await?);
        Self::checked_parent(&tree, None, parent)?;
        let slug = Slug::parse(slug.trim()).map_err(|_| {
            EngineError::BadRequest(
                "the slug is lower-case letters, digits and hyphens (news, world-cup)".into(),
            )
        })?;
        let id = self
            .store
            .add_channel(
                parent,
                &slug,
                &clean_name("Chinese", name_zh)?,
                &clean_name("English", name_en)?,
                self.now(),
            )
            .await
            .map_err(conflict)?;
        self.channel_audit(actor, "channel_added", id, slug.as_str())
            .await?;
        Ok(id)
    }

    /// Renames or moves a channel; its old paths (and its descendants')
    /// redirect to the new ones.
    pub async fn change_channel(
        &self,
        actor: &Actor<'_>,
        id: i64,
        parent: Option<i64>,
        slug: &str,
        name_zh: &str,
        name_en: &str,
    ) -> Result<(), EngineError> {
        may_manage(actor)?;
        let tree = ChannelTree::new(self.store.channels().await?);
        if tree.get(id).is_none() {
            return Err(EngineError::NotFound(format!("no channel {id}")));
        }
        Self::checked_parent(&tree, Some(id), parent)?;
        let slug = Slug::parse(slug.trim()).map_err(|_| {
            EngineError::BadRequest(
                "the slug is lower-case letters, digits and hyphens (news, world-cup)".into(),
            )
        })?;
        let mut old_paths = Vec::new();
        let mut stack = vec![id];
        while let Some(channel) = stack.pop() {
            old_paths.push((path_of(&tree, channel), channel));
            stack.extend(tree.children(channel).map(|c| c.id));
        }
        let change = ChannelChange {
            parent_id: parent,
            slug,
            name_zh: clean_name("Chinese", name_zh)?,
            name_en: clean_name("English", name_en)?,
        };
        self.store
            .change_channel(id, &change, &old_paths, self.now())
            .await
            .map_err(conflict)?;
        self.channel_audit(actor, "channel_changed", id, &old_paths[0].0)
            .await
    }

    /// Moves a channel one place up or down among its siblings.
    pub async fn reorder_channel(
        &self,
        actor: &Actor<'_>,
        id: i64,
        up: bool,
    ) -> Result<(), EngineError> {
        may_manage(actor)?;
        let tree = ChannelTree::new(self.store.channels().await?);
        let channel = tree
            .get(id)
            .ok_or_else(|| EngineError::NotFound(format!("no channel {id}")))?;
        let mut siblings: Vec<i64> = match channel.parent_id {
            Some(parent) => tree.children(parent).map(|c| c.id).collect(),
            None => tree.roots().map(|c| c.id).collect(),
        };
        let at = siblings.iter().position(|s| *s == id).unwrap_or(0);
        match (up, at) {
            (true, at) if at > 0 => siblings.swap(at, at - 1),
            (false, at) if at + 1 < siblings.len() => siblings.swap(at, at + 1),
            _ => return Ok(()),
        }
        self.store.order_channels(&siblings, self.now()).await?;
        self.channel_audit(actor, "channel_reordered", id, "").await
    }

    /// Retires a channel without channels under it: its articles and
    /// topics go to `into`, its address redirects there.
    pub async fn retire_channel(
        &self,
        actor: &Actor<'_>,
        id: i64,
        into: i64,
    ) -> Result<(), EngineError> {
        may_manage(actor)?;
        let tree = ChannelTree::new(self.store.channels().await?);
        if tree.get(id).is_none() || tree.get(into).is_none() {
            return Err(EngineError::NotFound("no such channel".into()));
        }
        if tree.children(id).next().is_some() {
            return Err(EngineError::Conflict(
                "retire or move the channels under it first".into(),
            ));
        }
        if id == into {
            return Err(EngineError::BadRequest(
                "choose another channel to take its articles".into(),
            ));
        }
        let path = path_of(&tree, id);
        self.store
            .retire_channel(id, into, &path, self.now())
            .await
            .map_err(conflict)?;
        self.channel_audit(actor, "channel_retired", id, &path)
            .await
    }

    async fn channel_audit(
        &self,
        actor: &Actor<'_>,
        action: &str,
        id: i64,
        detail: &str,
    ) -> Result<(), EngineError> {
        crate::staff::record(
            self.store.as_ref(),
            self.now(),
            actor,
            action,
            &format!("channel {id}"),
            detail,
        )
        .await?;
        // This node forgets its pages at once; the others on the change log.
        self.follow_changes().await?;
        Ok(())
    }
}
