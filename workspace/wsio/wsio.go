// Package wsio opens workspaces with the engine's Parquet codec bound, so that
// the workspace package itself stays free of the data I/O code. Commands and
// the TUI open workspaces through it.
package wsio

import (
	"context"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/workspace"
)

// Codec is the workspace codec backed by dataio's Parquet reader and writer.
var Codec = workspace.Codec{
	Write: dataio.WriteParquet,
	Read: func(ctx context.Context, path string) (*frame.Frame, error) {
		return dataio.ReadParquetFile(ctx, path, dataio.Options{})
	},
}

// Open opens the workspace in dir with Codec.
func Open(dir string) (*workspace.Workspace, error) {
	return workspace.OpenWith(dir, workspace.Options{Codec: Codec})
}

// Init creates a workspace in dir named name, opened with Codec.
func Init(dir, name string) (*workspace.Workspace, error) {
	return workspace.InitWith(dir, name, workspace.Options{Codec: Codec})
}
