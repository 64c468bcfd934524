package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// maxListed caps the completions shown under the path input.
const maxListed = 8

// dirEntry is one name in a listed folder.
type dirEntry struct {
	name string
	dir  bool
}

// dirListedMsg carries the entries of folder dir, as typed (before ~ is
// expanded).
type dirListedMsg struct {
	dir     string
	entries []dirEntry
	err     error
}

// importPrompt asks for the file to import and the dataset name.
type importPrompt struct {
	path, name textinput.Model
	focus      int // 0: path, 1: name
	err        string
	errField   int // field err belongs to

	listed  string     // folder (as typed) whose entries are known
	entries []dirEntry // its entries, sorted
	pending string     // folder being listed
	listErr error      // why listed could not be read
}

func newImportPrompt(st *themes.Styles) *importPrompt {
	p := &importPrompt{
		path: newInput(st, "", "path/to/data.csv"),
		name: newInput(st, "", "dataset name"),
	}
	p.path.ShowSuggestions = true
	return p
}

func (p *importPrompt) focused() *textinput.Model {
	if p.focus == 1 {
		return &p.name
	}
	return &p.path
}

func (p *importPrompt) setWidth(w int) {
	iw := max(10, min(72, w-12))
	p.path.Width, p.name.Width = iw, iw
	refit(&p.path)
	refit(&p.name)
}

func (p *importPrompt) setFocus(i int) tea.Cmd {
	p.focused().Blur()
	p.focus = i
	return p.focused().Focus()
}

// dirPart returns the folder part of a typed path, with its final
// separator: "" for "iris.csv", "data/" for "data/ir".
func dirPart(v string) string {
	if i := strings.LastIndexByte(v, '/'); i >= 0 {
		return v[:i+1]
	}
	return ""
}

// expandHome replaces a leading "~" by the home folder.
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return home + p[1:]
		}
	}
	return p
}

// listDir reads folder dir (as typed) off the UI goroutine.
func listDir(dir string) tea.Cmd {
	return func() tea.Msg {
		d := expandHome(dir)
		if d == "" {
			d = "."
		}
		ents, err := os.ReadDir(d)
		out := make([]dirEntry, 0, len(ents))
		for _, e := range ents {
			isDir := e.IsDir()
			if e.Type()&os.ModeSymlink != 0 {
				if fi, err := os.Stat(filepath.Join(d, e.Name())); err == nil {
					isDir = fi.IsDir()
				}
			}
			out = append(out, dirEntry{name: e.Name(), dir: isDir})
		}
		return dirListedMsg{dir: dir, entries: out, err: err}
	}
}

// changed reacts to a new path value: it lists the new folder, or offers
// the known entries as completions.
func (p *importPrompt) changed() tea.Cmd {
	dir := dirPart(p.path.Value())
	if dir != p.listed {
		p.path.SetSuggestions(nil)
		if dir == p.pending {
			return nil
		}
		p.pending = dir
		return listDir(dir)
	}
	p.suggest()
	return nil
}

// suggest offers the entries of the listed folder; hidden ones only once
// the typed name starts with a dot.
func (p *importPrompt) suggest() {
	v := p.path.Value()
	base := v[len(dirPart(v)):]
	var sug []string
	for _, e := range p.entries {
		if strings.HasPrefix(e.name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		s := p.listed + e.name
		if e.dir {
			s += "/"
		}
		sug = append(sug, s)
	}
	p.path.SetSuggestions(sug)
}

func (p *importPrompt) onListed(msg dirListedMsg) {
	if msg.dir != p.pending {
		return
	}
	p.pending = ""
	p.listed, p.listErr = msg.dir, msg.err
	p.entries = msg.entries
	slices.SortFunc(p.entries, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	if dirPart(p.path.Value()) == msg.dir {
		p.suggest()
	}
}

// entry returns the listed entry the path names, if its folder is listed.
func (p *importPrompt) entry() (dirEntry, bool, bool) {
	v := p.path.Value()
	if dirPart(v) != p.listed || p.listErr != nil {
		return dirEntry{}, false, false
	}
	base := v[len(p.listed):]
	i := slices.IndexFunc(p.entries, func(e dirEntry) bool { return e.name == base })
	if i < 0 {
		return dirEntry{}, false, true
	}
	return p.entries[i], true, true
}

// defaultName is the dataset name used when the name field is empty.
func (p *importPrompt) defaultName() string {
	v := strings.TrimSuffix(strings.TrimSpace(p.path.Value()), "/")
	if v == "" {
		return ""
	}
	return workspace.DatasetName(v)
}

// openImport opens the import prompt.
func (m *Model) openImport() tea.Cmd {
	if m.c.Workspace == nil {
		return nil
	}
	if m.importJob.Running() {
		return status("an import is already running (esc cancels it)")
	}
	m.imp = newImportPrompt(m.st)
	m.imp.setWidth(m.width)
	m.mode = modeImport
	return tea.Batch(m.imp.path.Focus(), m.imp.changed())
}

func (m *Model) closeImport() {
	m.imp = nil
	m.mode = modeBrowse
}

func (m *Model) onImportKey(msg tea.KeyMsg) tea.Cmd {
	p, k := m.imp, m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		m.closeImport()
		return nil
	case key.Matches(msg, k.Submit):
		if p.focus == 0 {
			if e, ok, _ := p.entry(); ok && e.dir {
				p.path.SetValue(p.path.Value() + "/")
				p.path.CursorEnd()
				return p.changed()
			}
		}
		return m.startImport()
	case key.Matches(msg, k.Complete) && p.focus == 0 && complete(&p.path):
		p.err = ""
		return p.changed()
	case key.Matches(msg, k.NextField, k.PrevField):
		return p.setFocus(1 - p.focus)
	}
	in := p.focused()
	old := in.Value()
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	if in.Value() == old {
		return cmd
	}
	p.err = ""
	if p.focus == 0 {
		p.name.Placeholder = p.defaultName()
		if p.name.Placeholder == "" {
			p.name.Placeholder = "dataset name"
		}
		return tea.Batch(cmd, p.changed())
	}
	return cmd
}

// importDoneMsg reports the end of an import job.
type importDoneMsg struct {
	jobID   int
	dataset workspace.Dataset
	err     error
}

// startImport checks the prompt and starts the import job: load the file,
// snapshot it into the workspace (which logs the import).
func (m *Model) startImport() tea.Cmd {
	p := m.imp
	path := strings.TrimSpace(p.path.Value())
	fail := func(field int, format string, args ...any) tea.Cmd {
		p.err, p.errField = fmt.Sprintf(format, args...), field
		if p.focus != field {
			return p.setFocus(field)
		}
		return nil
	}
	if path == "" {
		return fail(0, "type the path of a data file")
	}
	if e, ok, known := p.entry(); known && !ok {
		return fail(0, "no such file")
	} else if ok && e.dir {
		return fail(0, "%s is a folder", path)
	}
	name := strings.TrimSpace(p.name.Value())
	if name == "" {
		name = p.defaultName()
	}
	if err := workspace.ValidDatasetName(name); err != nil {
		return fail(1, "%s", strings.TrimPrefix(err.Error(), "workspace: "))
	}
	ws, load, file := m.c.Workspace, m.opt.Load, expandHome(path)
	job, cmd := m.c.StartJob("importing "+filepath.Base(path), func(ctx context.Context, id int, progress func(done, total int64)) tea.Msg {
		f, err := load(ctx, file, progress)
		if err != nil {
			return importDoneMsg{jobID: id, err: err}
		}
		progress(0, -1) // the snapshot is written without progress reports
		d, err := ws.ImportFrame(ctx, name, file, f)
		return importDoneMsg{jobID: id, dataset: d, err: err}
	})
	m.importJob = job
	m.closeImport()
	return cmd
}

func (m *Model) onImported(msg importDoneMsg) tea.Cmd {
	if msg.jobID != m.importJob.ID {
		return nil
	}
	m.importJob = ui.Job{}
	if msg.err != nil {
		if ui.IsCanceled(msg.err) {
			return status("import cancelled")
		}
		return errorCmd(fmt.Errorf("import: %w", msg.err))
	}
	d := msg.dataset
	m.selectA = d.Name
	m.focus = paneDatasets
	return tea.Batch(
		workspaceChanged,
		func() tea.Msg { return ui.DatasetSelectedMsg{Name: d.Name} },
		status(fmt.Sprintf("imported %s v%d: %s rows × %d columns", d.Name, d.Version, ui.Thousands(int64(d.Rows)), len(d.Columns))),
	)
}

// view renders the import prompt in a box of w×h cells.
func (p *importPrompt) view(st *themes.Styles, datasets []workspace.Dataset, w, h int) string {
	const labelW = 8
	g := glyphsFor(st)
	row := func(i int, label string, in textinput.Model) string {
		mark := "  "
		ls := st.Panel.Label
		if p.focus == i {
			mark, ls = st.Input.Prompt.Render(padRight(st.Glyphs.Prompt, 2)), st.Input.Prompt
		}
		return mark + ls.Render(padRight(label, labelW)) + inputView(&in)
	}
	lines := []string{
		st.Title.Render("Import a data file") + st.Muted.Render("  CSV, TSV, JSON Lines, Parquet, ARFF (.gz too)"),
		"",
		row(0, "file", p.path),
	}
	errLine := func(field int) {
		if p.err != "" && p.errField == field {
			lines = append(lines, strings.Repeat(" ", 2+labelW)+st.Input.Error.Render(g.bad+" "+p.err))
		}
	}
	errLine(0)
	lines = append(lines, row(1, "name", p.name))
	errLine(1)
	name := strings.TrimSpace(p.name.Value())
	if name == "" {
		name = p.defaultName()
	}
	if i := slices.IndexFunc(datasets, func(d workspace.Dataset) bool { return d.Name == name }); i >= 0 {
		note := fmt.Sprintf("%s exists: this adds version %d", name, datasets[i].Version+1)
		lines = append(lines, strings.Repeat(" ", 2+labelW)+st.Muted.Render(note))
	}
	lines = append(lines, "")
	switch {
	case p.focus != 0:
	case p.listErr != nil:
		lines = append(lines, st.Warn.Render("cannot list "+p.listed+": "+p.listErr.Error()))
	default:
		matches := p.path.MatchedSuggestions()
		if len(p.path.Value()) == 0 {
			matches = p.path.AvailableSuggestions()
		}
		cur := p.path.CurrentSuggestion()
		for i, s := range matches {
			if i == maxListed {
				lines = append(lines, st.Muted.Render(fmt.Sprintf("  … %d more", len(matches)-maxListed)))
				break
			}
			s = s[len(p.listed):]
			if len(p.path.Value()) > 0 && matches[i] == cur {
				lines = append(lines, st.Input.Prompt.Render(padRight(st.Glyphs.Prompt, 2))+st.Input.Text.Render(s))
			} else {
				lines = append(lines, "  "+st.Muted.Render(s))
			}
		}
	}
	return fitBlock(lines, w, h)
}

// frameShape formats rows × columns.
func frameShape(rows, cols int) string {
	return fmt.Sprintf("%s rows × %d columns", ui.Thousands(int64(rows)), cols)
}
