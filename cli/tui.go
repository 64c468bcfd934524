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
	return app.RunWorkspace(ctx, ws)
}

func runFileTUI(ctx context.Context, e *env, path string) error {
	return app.RunFile(ctx, path)
}
