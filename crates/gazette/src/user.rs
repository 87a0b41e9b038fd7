//! `gazette user ...`: staff accounts from the command line, on the same
//! database as `serve` (it may be running). Links are built from the
//! configured base URL; there is no mail server, so they are printed.

use crate::SiteArgs;
use crate::config::FileConfig;
use anyhow::{Context, Result};
use clap::Subcommand;
use gazette_core::{Lang, Role};
use gazette_engine::staff::{Actor, NewStaff, Staff, StaffConfig};
use std::io::BufRead;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff account. Without --password-stdin, prints a single-use
    /// link (valid 72 hours) where its owner sets the password.
    Add {
        email: String,
        /// The name in Chinese (shown in bylines and the back office).
        #[arg(long)]
        name: String,
        /// The name in English (default: the Chinese one).
        #[arg(long)]
        name_en: Option<String>,
        /// author, editor, responsible-editor or admin.
        #[arg(long)]
        role: String,
        /// The back office's language for this account: zh or en.
        #[arg(long, default_value = "zh")]
        lang: String,
        /// Read the password from one line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Print a single-use link to set a new password (the old one keeps
    /// working until the link is used).
    Reset {
        email: String,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Disable an account: its sessions and links end at once and it
    /// cannot sign in (the last admin cannot be disabled).
    Disable {
        email: String,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Enable a disabled account again.
    Enable {
        email: String,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Turn off an account's two-step verification (a lost phone and lost
    /// recovery codes).
    ClearSecondFactor {
        email: String,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// List the accounts.
    List {
        #[command(flatten)]
        site: SiteArgs,
    },
}

impl UserCommand {
    fn site(&self) -> &SiteArgs {
        match self {
            UserCommand::Add { site, .. }
            | UserCommand::Reset { site, .. }
            | UserCommand::Disable { site, .. }
            | UserCommand::Enable { site, .. }
            | UserCommand::ClearSecondFactor { site, .. }
            | UserCommand::List { site } => site,
        }
    }
}

pub async fn run(command: UserCommand) -> Result<()> {
    let args = command.site();
    let file = FileConfig::read(args.config.as_deref())?;
    let site = file.site(args.base_url.as_deref(), "http://127.0.0.1:8080")?;
    let store = gazette_store::open(&args.store.url())
        .await
        .context("opening the database")?;
    let staff = Staff::new(store, StaffConfig::default(), site.clock, &site.base_url);
    match command {
        UserCommand::Add {
            email,
            name,
            name_en,
            role,
            lang,
            password_stdin,
            ..
        } => {
            let role = Role::parse(&role)?;
            let lang = Lang::parse(&lang)?;
            let password = if password_stdin {
                Some(read_password_line()?)
            } else {
                None
            };
            let (account, link) = staff
                .add_account(
                    &Actor::COMMAND_LINE,
                    NewStaff {
                        email: &email,
                        name_zh: &name,
                        name_en: name_en.as_deref(),
                        role,
                        lang,
                        password: password.as_deref(),
                    },
                )
                .await?;
            println!(
                "added {} ({}) as {}",
                account.email,
                account.name_zh,
                account.role.as_str()
            );
            if let Some(link) = link {
                println!("set the password within 72 hours at (single use):\n{link}");
            }
        }
        UserCommand::Reset { email, .. } => {
            let link = staff.reset_link(&Actor::COMMAND_LINE, &email).await?;
            println!("set a new password within 72 hours at (single use):\n{link}");
        }
        UserCommand::Disable { email, .. } => set_disabled(&staff, &email, true).await?,
        UserCommand::Enable { email, .. } => set_disabled(&staff, &email, false).await?,
        UserCommand::ClearSecondFactor { email, .. } => {
            let account = staff.account_by_email(&email).await?;
            staff
                .clear_second_factor(&Actor::COMMAND_LINE, account.id)
                .await?;
            println!("two-step verification is off for {}", account.email);
        }
        UserCommand::List { .. } => {
            let accounts = staff.all_accounts().await?;
            if accounts.is_empty() {
                println!(
                    "no accounts yet; add the first admin with: gazette user add EMAIL --name NAME --role admin"
                );
            }
            for account in accounts {
                let state = match (&account.password_hash, account.disabled_at) {
                    (_, Some(_)) => "disabled",
                    (Some(_), None) => "can sign in",
                    (None, None) => "waiting for a password",
                };
                println!(
                    "{}\t{}\t{}\t{}",
                    account.email,
                    account.role.as_str(),
                    account.name_zh,
                    state
                );
            }
        }
    }
    Ok(())
}

async fn set_disabled(staff: &Staff, email: &str, disable: bool) -> Result<()> {
    let account = staff.account_by_email(email).await?;
    staff
        .set_disabled(&Actor::COMMAND_LINE, account.id, disable)
        .await?;
    let done = if disable { "disabled" } else { "enabled" };
    println!("{} is {done}", account.email);
    Ok(())
}

/// One line from standard input, its line ending removed (nothing else:
/// spaces are part of a password).
fn read_password_line() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line
        .strip_suffix('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or(&line)
        .to_owned();
    anyhow::ensure!(!password.is_empty(), "no password on standard input");
    Ok(password)
}
