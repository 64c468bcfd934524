package app

import (
	"context"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
)

// loadFile reads a data file with progress reports.
func loadFile(ctx context.Context, path string, progress func(done, total int64)) (*frame.Frame, error) {
	return dataio.Load(ctx, path, dataio.Options{Progress: progress})
}
