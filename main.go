// Command mlwb is a machine-learning workbench that lives in the terminal.
// Run "mlwb --help" for the commands; with no command it opens the TUI.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/mlwb/mlwb/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
