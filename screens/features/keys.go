package features

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the Features screen's keys.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding

	// Features table.
	Toggle     key.Binding // space: feature in or out
	SortNext   key.Binding // s: sort by the next score column
	SortPrev   key.Binding // S: sort by the previous one
	Method     key.Binding // m: cycle the auto-select method
	More, Less key.Binding // + / -: k (or the threshold) up and down
	Auto       key.Binding // A: auto-select by the method
	Pane       key.Binding // tab: table / pipeline
	Save       key.Binding // w: save pipeline and selection (label view: the labels)
	Cancel     key.Binding // esc: cancel the running job (label view: leave it)
	LabelView  key.Binding // v: the Label view
	Rescore    key.Binding // r: score again (after a cancelled or failed pass)

	// Pipeline pane.
	Add              key.Binding // a: add a transform
	Remove           key.Binding // x: remove the step
	MoveUp, MoveDown key.Binding // K / J: move the step

	// Form (add a transform, add a rule).
	Submit key.Binding // enter
	Close  key.Binding // esc

	// Label view.
	Assign key.Binding // 1-9: the k-th class
	Undo   key.Binding // u
	Rule   key.Binding // r: add a rule
	// Uncertain adds rows whose target is flagged uncertain by a condition.
	Uncertain key.Binding // f
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, h string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, h))
	}
	return KeyMap{
		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:   b([]string{"pgup", "ctrl+u"}, "ctrl+u", "page up"),
		PageDown: b([]string{"pgdown", "ctrl+d"}, "ctrl+d", "page down"),
		Top:      b([]string{"home", "g"}, "g", "top"),
		Bottom:   b([]string{"end", "G"}, "G", "bottom"),

		Toggle:    b([]string{" "}, "space", "in/out"),
		SortNext:  b([]string{"s"}, "s/S", "sort column"),
		SortPrev:  b([]string{"S"}, "S", "sort column back"),
		Method:    b([]string{"m"}, "m", "method"),
		More:      b([]string{"+", "="}, "+/-", "k"),
		Less:      b([]string{"-"}, "-", "k down"),
		Auto:      b([]string{"A"}, "A", "auto-select"),
		Pane:      b([]string{"tab"}, "tab", "table/pipeline"),
		Save:      b([]string{"w"}, "w", "save"),
		Cancel:    b([]string{"esc"}, "esc", "cancel job"),
		LabelView: b([]string{"v"}, "v", "label view"),
		Rescore:   b([]string{"r"}, "r", "score again"),

		Add:      b([]string{"a"}, "a", "add step"),
		Remove:   b([]string{"x"}, "x", "remove step"),
		MoveUp:   b([]string{"K"}, "K/J", "move step"),
		MoveDown: b([]string{"J"}, "J", "move step down"),

		Submit: b([]string{"enter"}, "enter", "apply"),
		Close:  b([]string{"esc"}, "esc", "close"),

		Assign: b([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, "1-9", "assign class"),
		Undo:   b([]string{"u"}, "u", "undo"),
		Rule:   b([]string{"r"}, "r", "rule"),

		Uncertain: b([]string{"f"}, "f", "flag uncertain rows"),
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.form != formNone:
		return []key.Binding{k.Submit, k.Close}
	case m.labeling:
		leave := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave label view"))
		return []key.Binding{k.Down, k.Assign, k.Undo, k.Rule, k.Uncertain, k.Save, leave}
	case m.pane == panePipeline:
		return []key.Binding{k.Down, k.Add, k.Remove, k.MoveUp, k.Pane, k.Save}
	}
	return []key.Binding{k.Down, k.Toggle, k.SortNext, k.Method, k.More, k.Auto, k.Pane, k.Save, k.LabelView}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Toggle, k.SortNext, k.SortPrev, k.Method, k.More, k.Less, k.Auto},
		{k.Pane, k.Add, k.Remove, k.MoveUp, k.MoveDown, k.Save, k.Cancel, k.Rescore},
		{k.LabelView, k.Assign, k.Undo, k.Rule, k.Uncertain},
	}
}
