package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/workspace"
)

// input is a command's data argument: a workspace dataset version or a file.
type input struct {
	ws   *workspace.Workspace
	ds   workspace.Dataset
	file string
}

// resolveInput finds arg as a data file, or else as a dataset (NAME or
// NAME@VERSION) of the workspace given by -w (dir) or containing the current
// folder. A path that exists wins: it is what the user typed.
func resolveInput(dir, arg string) (input, error) {
	if fi, err := os.Stat(arg); err == nil {
		if fi.IsDir() {
			return input{}, fmt.Errorf("%s is a folder, not a data file or dataset name", arg)
		}
		return input{file: arg}, nil
	}
	ws, err := openWorkspaceFlag(dir)
	if errors.Is(err, workspace.ErrNotWorkspace) && dir == "" {
		return input{}, fmt.Errorf("%s: no such file, and no workspace to find a dataset of that name in (use -w DIR)", arg)
	}
	if err != nil {
		return input{}, fmt.Errorf("%s: no such file, and %w", arg, err)
	}
	d, err := ws.DatasetRef(arg)
	if errors.Is(err, workspace.ErrDatasetNotFound) {
		return input{}, fmt.Errorf("no file %s, and %w", arg, err)
	}
	if err != nil {
		return input{}, err
	}
	return input{ws: ws, ds: d}, nil
}

// label names the input in messages: NAME@N or the file path.
func (in input) label() string {
	if in.ws != nil {
		return in.ds.Ref()
	}
	return in.file
}

// loadInput loads in, showing a progress bar for files on a terminal unless
// quiet; it returns the frame and in's label.
func loadInput(ctx context.Context, e *env, in input, opt dataio.Options, quiet bool) (*frame.Frame, string, error) {
	if in.ws != nil {
		f, err := in.ws.Load(ctx, in.ds)
		return f, in.ds.Ref(), err
	}
	bar := newProgress(e.stderr, "loading "+in.file, quiet)
	opt.Progress = bar.Update
	f, err := dataio.Load(ctx, in.file, opt)
	bar.Done()
	return f, in.file, err
}

// writeFrameFile writes f atomically to path as Parquet, CSV or TSV, chosen
// by the extension.
func writeFrameFile(path string, f *frame.Frame) error {
	write, err := dataio.WriterFor(path)
	if err != nil {
		return err
	}
	return workspace.WriteAtomic(path, func(w io.Writer) error { return write(w, f) })
}
