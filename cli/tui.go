package cli

import (
	"context"

	"github.com/mlwb/mlwb/ui/app"
	"github.com/mlwb/mlwb/workspace"
)

func runWorkspaceTUI(ctx context.Context, e *env, ws *workspace.Workspace) error {
	for _, w := range ws.Warnings() {
		e.warn(w)
	}
	return app.Run(ctx, app.Config{Workspace: ws, Version: Version})
}

func runFileTUI(ctx context.Context, e *env, path string) error {
	return app.Run(ctx, app.Config{File: path, Version: Version})
}
