package workspace

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tempMarker is part of the name of every temporary file this package creates
// next to its target, so that abandoned ones can be recognised and swept.
const tempMarker = ".mlwb-tmp-"

// WriteFileAtomic replaces the file at path with data so that, whatever
// happens to the process, path afterwards holds either its old content or all
// of data, never a mix or a truncated file. perm is used when the file does
// not exist yet; an existing file keeps its mode. See WriteAtomic.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	return writeAtomic(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteAtomic replaces the file at path with what write produces, atomically:
// it writes to a temporary file in the same directory (buffered), fsyncs it,
// renames it over path and fsyncs the directory, so the rename itself is
// durable. If write returns an error or panics the temporary file is removed
// and path is untouched. A new file gets mode 0644; an existing one keeps its
// mode.
//
// A process killed at any moment leaves path readable with the old or the new
// content, plus at worst an abandoned temporary file named
// ".<base>.mlwb-tmp-<random>" that Open sweeps once it is an hour old.
func WriteAtomic(path string, write func(w io.Writer) error) error {
	return writeAtomic(path, 0o644, write)
}

func writeAtomic(path string, perm fs.FileMode, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if fi, serr := os.Stat(path); serr == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("workspace: write %s: not a regular file", path)
		}
		perm = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+base+tempMarker+"*")
	if err != nil {
		return fmt.Errorf("workspace: write %s: %w", path, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("workspace: write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("workspace: write %s: %w", path, err)
	}
	if err := commitTemp(tmp, path, perm); err != nil {
		return err
	}
	done = true
	return nil
}

// commitTemp makes a fully written temporary file durable and renames it to
// path. tmp is closed on return; on error the caller removes it.
func commitTemp(tmp *os.File, path string, perm fs.FileMode) error {
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("workspace: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("workspace: write %s: sync: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("workspace: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("workspace: write %s: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}

// syncDir fsyncs a directory so that renames and creations in it survive a
// crash of the machine, not only of the process.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("workspace: sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("workspace: sync %s: %w", dir, err)
	}
	return nil
}

// sweepTemp removes temporary files left in dir by killed writers: files
// whose name holds tempMarker and that were last modified before cutoff. A
// writer that is still running modifies its file continuously, so an hour-old
// one is abandoned. Errors are ignored: sweeping is housekeeping.
func sweepTemp(dir string, cutoff time.Time) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if e.IsDir() || !strings.Contains(e.Name(), tempMarker) {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.ModTime().Before(cutoff) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
