package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/workspace"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// openWorkspaceFlag opens the workspace named by -w, or the one containing the
// current folder.
func openWorkspaceFlag(dir string) (*workspace.Workspace, error) {
	if dir == "" {
		found, err := workspace.Find(".")
		if err != nil {
			return nil, fmt.Errorf("%w (use -w DIR, or run \"mlwb init DIR\")", err)
		}
		dir = found
	}
	return workspace.Open(dir)
}

func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newInitCmd(e *env) *cobra.Command {
	var name string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Create a project workspace folder",
		Long: `Create a project workspace in DIR (created if needed): the project card
mlwb.toml, data/, runs/, studies/, models/, monitor/, reports/, history.jsonl and
state.json. Edit mlwb.toml by hand or on the Project screen.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := workspace.Init(args[0], name)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(e, map[string]string{"workspace": ws.Dir(), "name": ws.Card().Name})
			}
			fmt.Fprintf(e.stdout, "Created workspace %q in %s\nNext: mlwb import FILE -w %s, then mlwb open %s\n", ws.Card().Name, ws.Dir(), args[0], args[0])
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "project name (default: the folder's name)")
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"workspace": DIR, "name": NAME}`)
	return cmd
}

// ImportJSON is the documented output of "mlwb import --json".
type ImportJSON struct {
	Workspace string           `json:"workspace"`
	Dataset   string           `json:"dataset"`
	Version   int              `json:"version"`
	Hash      string           `json:"hash"`
	File      string           `json:"file"`
	Rows      int              `json:"rows"`
	Columns   []InfoColumnJSON `json:"columns"`
}

func newImportCmd(e *env) *cobra.Command {
	var rf readFlags
	var dir, name string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import a data file into a workspace as a dataset",
		Long: `Load FILE (CSV, TSV, JSON Lines, Parquet or ARFF) and store it in the workspace
as a Parquet snapshot named by its content hash. Importing under an existing
name adds a new version; earlier versions are kept.

JSON output (--json):
  {"workspace": DIR, "dataset": NAME, "version": N, "hash": "...", "file": "data/....parquet",
   "rows": N, "columns": [{"name", "type", "missing"}]}`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := rf.options()
			if err != nil {
				return err
			}
			ws, err := openWorkspaceFlag(dir)
			if err != nil {
				return err
			}
			d, err := importFile(cmd.Context(), e, ws, args[0], name, opt, asJSON)
			if err != nil {
				return err
			}
			out := ImportJSON{Workspace: ws.Dir(), Dataset: d.Name, Version: d.Version, Hash: d.Hash, File: d.File, Rows: d.Rows}
			for _, c := range d.Columns {
				out.Columns = append(out.Columns, InfoColumnJSON{Name: c.Name, Type: c.Type, Missing: c.Missing})
			}
			if asJSON {
				return writeJSON(e, out)
			}
			fmt.Fprintf(e.stdout, "Imported %s as dataset %q version %d: %d rows × %d columns (%s)\n", args[0], d.Name, d.Version, d.Rows, len(d.Columns), d.File)
			return nil
		},
	}
	rf.add(cmd)
	cmd.Flags().StringVarP(&dir, "workspace", "w", "", "workspace folder (default: the one containing the current folder)")
	cmd.Flags().StringVar(&name, "name", "", "dataset name (default: from the file name)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (documented above)")
	return cmd
}

// importFile loads path and stores it in ws as dataset name (default: from the
// file name).
func importFile(ctx context.Context, e *env, ws *workspace.Workspace, path, name string, opt dataio.Options, quiet bool) (workspace.Dataset, error) {
	if name == "" {
		name = workspace.DatasetName(path)
	}
	if err := workspace.ValidDatasetName(name); err != nil {
		return workspace.Dataset{}, err
	}
	bar := newProgress(e.stderr, "loading "+path, quiet)
	opt.Progress = bar.Update
	f, err := dataio.Load(ctx, path, opt)
	bar.Done()
	if err != nil {
		return workspace.Dataset{}, err
	}
	abs, _ := filepath.Abs(path)
	return ws.ImportFrame(ctx, name, abs, f) // logs dataset.import in the history
}

func newOpenCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "open PATH",
		Short: "Open a workspace folder, or a single data file without a workspace, in the TUI",
		Long: `Open PATH in the TUI. PATH is a workspace folder (one holding mlwb.toml), or a
data file, which is shown on the Data screen without a workspace: nothing is written.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fi, err := os.Stat(args[0])
			if err != nil {
				return err
			}
			if fi.IsDir() {
				ws, err := workspace.Open(args[0])
				if err != nil {
					return err
				}
				return runWorkspaceTUI(cmd.Context(), e, ws)
			}
			return runFileTUI(cmd.Context(), e, args[0])
		},
	}
}

// runTUIHere opens the workspace containing the current folder; when there is
// none it asks whether to create one here or to open the demo.
func runTUIHere(ctx context.Context, e *env) error {
	dir, err := workspace.Find(".")
	if err == nil {
		ws, err := workspace.Open(dir)
		if err != nil {
			return err
		}
		return runWorkspaceTUI(ctx, e, ws)
	}
	if !errors.Is(err, workspace.ErrNotWorkspace) {
		return err
	}
	cwd, _ := os.Getwd()
	in, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) {
		return fmt.Errorf("no mlwb workspace in %s or its parents (run \"mlwb init DIR\", \"mlwb demo\" or \"mlwb open FILE\")", cwd)
	}
	fmt.Fprintf(e.stderr, "No mlwb workspace in %s.\n  [c] create one here\n  [d] build and open the demo workspace (./mlwb-demo)\n  [q] quit\n> ", cwd)
	answer, _ := bufio.NewReader(e.stdin).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "c", "create":
		ws, err := workspace.Init(".", "")
		if err != nil {
			return err
		}
		return runWorkspaceTUI(ctx, e, ws)
	case "d", "demo":
		ws, err := buildDemo(ctx, e, "mlwb-demo", false)
		if err != nil {
			return err
		}
		return runWorkspaceTUI(ctx, e, ws)
	}
	return nil
}
