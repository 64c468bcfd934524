package features

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/mlwb/mlwb/engine/features"
)

// parseStep reads a pipeline step as typed in the add form:
//
//	transform [col1,col2] [param=value …]
//
// A value is a number, true/false, or text; a comma makes it a list.
func parseStep(s string) (features.Spec, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return features.Spec{}, fmt.Errorf("type a transform name (%s)", transformNames())
	}
	sp := features.Spec{Transform: f[0]}
	for _, t := range f[1:] {
		name, val, ok := strings.Cut(t, "=")
		if !ok {
			if sp.Columns != nil {
				return features.Spec{}, fmt.Errorf("%q: columns already given as %s; separate columns with commas", t, strings.Join(sp.Columns, ","))
			}
			sp.Columns = strings.Split(t, ",")
			continue
		}
		if name == "" {
			return features.Spec{}, fmt.Errorf("%q: parameter name missing before =", t)
		}
		if sp.Params == nil {
			sp.Params = map[string]any{}
		}
		if strings.Contains(val, ",") {
			var l []any
			for _, v := range strings.Split(val, ",") {
				l = append(l, paramValue(v))
			}
			sp.Params[name] = l
		} else {
			sp.Params[name] = paramValue(val)
		}
	}
	return sp, nil
}

func paramValue(v string) any {
	if x, err := strconv.ParseFloat(v, 64); err == nil {
		return x
	}
	if b, err := strconv.ParseBool(v); err == nil {
		return b
	}
	return v
}

func transformNames() string {
	var n []string
	for _, t := range features.Transforms() {
		n = append(n, t.Name)
	}
	return strings.Join(n, ", ")
}

// transformHelp describes the transform named by the first word of s, or
// lists them all.
func transformHelp(s string) string {
	f := strings.Fields(s)
	if len(f) > 0 {
		for _, t := range features.Transforms() {
			if t.Name == f[0] {
				var ps []string
				for _, p := range t.Params {
					ps = append(ps, p.Name+"="+p.Default)
				}
				h := t.Name + " (" + t.Group + "): " + t.Doc
				if len(ps) > 0 {
					h += "; params " + strings.Join(ps, " ")
				}
				return h
			}
		}
	}
	return "transforms: " + transformNames()
}

// stepText is one line describing a pipeline step.
func stepText(s features.Spec) string {
	var b strings.Builder
	b.WriteString(s.Transform)
	if len(s.Columns) > 0 {
		b.WriteString(" [" + strings.Join(s.Columns, ", ") + "]")
	} else {
		b.WriteString(" [all]")
	}
	keys := make([]string, 0, len(s.Params))
	for k := range s.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, s.Params[k])
	}
	return b.String()
}
