// Package cli holds mlwb's command-line interface: the headless commands that
// mirror every TUI action, each with --help and, where it prints results,
// --json output that is stable for scripts.
//
// Failures print one line, "mlwb: <error>", on stderr and exit non-zero.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Version is mlwb's version, recorded in runs and printed by --version.
var Version = "0.1.0-dev"

// ExitError carries a specific exit status (e.g. 3 for "drift found").
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// env is what commands need from the process, so tests can run them in-process.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	getenv         func(string) string
}

// NewRoot returns the root command. With no sub-command it opens the TUI on
// the workspace in the current folder.
func NewRoot(stdout, stderr io.Writer) *cobra.Command {
	e := &env{stdout: termSafe(stdout), stderr: stderr, stdin: os.Stdin, getenv: os.Getenv}
	root := &cobra.Command{
		Use:   "mlwb",
		Short: "A machine-learning workbench for the terminal",
		Long: `mlwb opens a project workspace folder in an interactive TUI and drives a local
engine through the ML lifecycle, saving everything into that folder.

With no command, mlwb opens the workspace in the current folder (or offers to
create one, or to open the demo).`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTUIHere(cmd.Context(), e)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(
		newInfoCmd(e),
		newInitCmd(e),
		newImportCmd(e),
		newOpenCmd(e),
		newDemoCmd(e),
		newMetricsCmd(e),
		newCleanCmd(e),
		newMergeCmd(e),
		newMatchCmd(e),
		newProfileCmd(e),
		newDriftCmd(e),
		newTrainCmd(e),
		newTuneCmd(e),
		newRunsCmd(e),
		newFeaturesCmd(e),
		newEvalCmd(e),
	)
	return root
}

// Main runs the command line and returns the process exit status.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := NewRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// ctrl+c (main cancels ctx on SIGINT and SIGTERM): say so rather
		// than "context canceled", with the shell's status for SIGINT.
		fmt.Fprintln(stderr, "mlwb: interrupted")
		return 130
	}
	fmt.Fprintf(stderr, "mlwb: %v\n", err)
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return 1
}

func (e *env) warn(msg string) { fmt.Fprintf(e.stderr, "mlwb: warning: %s\n", msg) }
