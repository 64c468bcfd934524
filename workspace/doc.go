// Package workspace keeps all of a user's work in one project folder and
// never loses it.
//
// # Layout
//
//	mlwb.toml            project card (Card): human-edited TOML with comments
//	data/
//	  datasets.json      manifest: every version of every dataset (Dataset)
//	  datasets.json.bak  the manifest before the last change
//	  <hash12>.parquet   immutable snapshots named by the first 12 hex digits
//	                     of the SHA-256 of their bytes
//	runs/ studies/ models/ monitor/ reports/
//	                     for later features (RunsDir, ModelsDir, ...)
//	history.jsonl        append-only log of actions (Event), one JSON per line
//	state.json           UI state (State): selected dataset, screen, per-screen map
//	.mlwb/
//	  version            {"format": 1, "created": ...}: on-disk format, for migrations
//	  lock               advisory lock file; holds "pid N / host H / since T"
//	  mlwb.toml.bak      the card before mlwb last rewrote it
//	  .gitignore         keeps lock and temporary files out of git
//
// A folder is a workspace when it holds mlwb.toml; Init writes that file last.
// Open re-creates missing folders and .mlwb/version, so a workspace copied or
// cloned without them still opens.
//
// # Durability
//
// Every file except history.jsonl is replaced atomically (WriteFileAtomic,
// WriteAtomic): written to a temporary file in the same folder, fsynced,
// renamed over the target, and the folder fsynced. A process killed at any
// moment leaves each file with its old or its new content. history.jsonl is
// appended with one write per event and fsynced; a reader skips a torn last
// line. Snapshots are immutable and content-addressed, and an import under an
// existing name adds a version instead of replacing the data. Abandoned
// temporary files (named with ".mlwb-tmp-") are removed by Open once they
// are an hour old.
//
// The content hash is that of the Parquet snapshot as written, not of the
// source file: it identifies exactly what models are trained on, and it
// exists for frames that never were a file (cleaned versions). Importing the
// same content twice reuses the snapshot, provided the Parquet writer is
// deterministic.
//
// # Locking
//
// Writers that read, modify and write shared files (SaveCard, ImportFrame,
// DeleteDataset) take an exclusive flock(2) on .mlwb/lock for the duration of
// that one operation, not for a whole session: two mlwb sessions on one
// workspace can both work, and one waits (by default up to 10s, see
// Options.LockTimeout) only while the other commits. Long work — writing a
// large snapshot — happens before the lock is taken, so the lock is held for
// milliseconds. A caller that needs several operations to be one
// transaction takes the lock itself with Workspace.Lock, choosing LockFail
// (return a *LockedError naming the holder's pid and start time at once) or
// LockWait (poll until ctx is done). The kernel releases a flock when its
// holder dies, so a killed process never leaves a stale lock; the pid in the
// lock file is only for the message.
//
// Readers take no lock: every file they read is replaced atomically, so they
// see a complete old or new version. SaveState and Log take no lock either:
// UI state is last-writer-wins, and appends with O_APPEND do not interleave.
//
// flock works on local file systems and on NFS (Linux emulates it with NFS
// byte-range locks); O_APPEND atomicity is not guaranteed on NFS, where a
// concurrent append may at worst produce a line that History skips.
//
// # The card
//
// SaveCard writes the card from a commented template (Card.Render); when the
// file on disk already decodes to the card being saved, it is left untouched,
// so comments and layout the user chose survive until a value actually
// changes. Unknown keys are reported by Warnings. If the file was edited since
// the handle read it, SaveCard returns ErrCardChanged rather than overwrite
// the edit.
package workspace
