package clean

import (
	"context"
	"fmt"
	"github.com/mlwb/mlwb/engine/internal/textnorm"
	"slices"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

// NormalizeCategory folds the differences between spellings of one value
// that merge_categories suggestions ignore (see textnorm.Fold; the profile's
// INCONSISTENT_CATEGORY alert uses the same folding).
func NormalizeCategory(s string) string { return textnorm.Fold(s) }

// SuggestVariants groups the levels of col that are spellings of one value
// (equal after NormalizeCategory). Each group lists the canonical spelling
// first — the most frequent one, ties going to the level that appears
// first — then the other variants by decreasing frequency (ties in level
// order). Groups come by decreasing total count. Levels that occur in no
// row are ignored. A group is ready to be a merge_categories step's
// "groups" entry.
func SuggestVariants(col *frame.CategoricalCol) [][]string {
	counts := make([]int, len(col.Levels))
	for _, k := range col.Codes {
		if k >= 0 {
			counts[k]++
		}
	}
	return variantGroups(col.Levels, counts)
}

// variantGroups does SuggestVariants' work on distinct texts and counts.
func variantGroups(levels []string, counts []int) [][]string {
	byKey := map[string][]int{}
	var keys []string
	for k, lv := range levels {
		if counts[k] == 0 {
			continue
		}
		key := NormalizeCategory(lv)
		if _, ok := byKey[key]; !ok {
			keys = append(keys, key)
		}
		byKey[key] = append(byKey[key], k)
	}
	type group struct {
		levels []int
		total  int
	}
	var gs []group
	for _, key := range keys {
		g := byKey[key]
		if len(g) < 2 {
			continue
		}
		slices.SortStableFunc(g, func(a, b int) int { return counts[b] - counts[a] })
		t := 0
		for _, k := range g {
			t += counts[k]
		}
		gs = append(gs, group{g, t})
	}
	slices.SortStableFunc(gs, func(a, b group) int { return b.total - a.total })
	out := make([][]string, len(gs))
	for i, g := range gs {
		out[i] = make([]string, len(g.levels))
		for j, k := range g.levels {
			out[i][j] = levels[k]
		}
	}
	return out
}

// textCounts returns the distinct texts of a text column (in order of first
// appearance) and their counts.
func textCounts(c frame.Column) ([]string, []int) {
	switch c := c.(type) {
	case *frame.CategoricalCol:
		counts := make([]int, len(c.Levels))
		for _, k := range c.Codes {
			if k >= 0 {
				counts[k]++
			}
		}
		return c.Levels, counts
	case *frame.StringCol:
		index := map[string]int{}
		var levels []string
		var counts []int
		m := c.Mask()
		for i, s := range c.Data {
			if m.IsNA(i) {
				continue
			}
			k, ok := index[s]
			if !ok {
				k = len(levels)
				index[s] = k
				levels = append(levels, s)
				counts = append(counts, 0)
			}
			counts[k]++
		}
		return levels, counts
	}
	return nil, nil
}

// Suggestion is a step the data suggests, for the user to confirm.
type Suggestion struct {
	Step   Step
	Reason string
}

// maxSuggestLevels bounds the distinct values of a string column that
// Suggest examines for variants and dates.
const maxSuggestLevels = 10000

// Suggest proposes steps for f, in this order:
//
//   - drop_duplicates when rows repeat exactly;
//   - merge_categories for each text column with variant spellings
//     (SuggestVariants), which is what engine/profile's
//     INCONSISTENT_CATEGORY alert reports;
//   - parse_dates for text columns whose values all parse with one of
//     DateLayouts.
//
// Nothing is applied; each suggestion is a ready Step with its reason.
func Suggest(ctx context.Context, f *frame.Frame) ([]Suggestion, error) {
	var out []Suggestion
	dup := DuplicateRows(f.Columns(), f.NumRows(), false)
	nd := 0
	for _, d := range dup {
		if d {
			nd++
		}
	}
	if nd > 0 {
		out = append(out, Suggestion{Step{Op: "drop_duplicates"}, fmt.Sprintf("%s repeat an earlier row exactly", plural(nd, "row", "rows"))})
	}
	for _, c := range f.Columns() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if t := c.Type(); t != frame.Categorical && t != frame.String {
			continue
		}
		levels, counts := textCounts(c)
		if len(levels) > maxSuggestLevels {
			continue
		}
		if g := variantGroups(levels, counts); len(g) > 0 {
			ex := make([]string, 0, 3)
			for _, grp := range g[:min(3, len(g))] {
				q := make([]string, len(grp))
				for i, s := range grp {
					q[i] = fmt.Sprintf("%q", s)
				}
				ex = append(ex, strings.Join(q, "/"))
			}
			groups := make([]any, len(g))
			for i, grp := range g {
				a := make([]any, len(grp))
				for j, s := range grp {
					a[j] = s
				}
				groups[i] = a
			}
			out = append(out, Suggestion{
				Step:   Step{Op: "merge_categories", Columns: []string{c.Name()}, Params: map[string]any{"groups": groups}},
				Reason: fmt.Sprintf("%s of variant spellings in %q: %s", plural(len(g), "group", "groups"), c.Name(), strings.Join(ex, ", ")),
			})
		}
		nonEmpty := 0
		for _, lv := range levels {
			if strings.TrimSpace(lv) != "" {
				nonEmpty++
			}
		}
		if nonEmpty > 0 {
			if l := detectLayout(asText(c), c.Len()); l != "" && allParse(levels, l) {
				out = append(out, Suggestion{
					Step:   Step{Op: "parse_dates", Columns: []string{c.Name()}, Params: map[string]any{"layout": l}},
					Reason: fmt.Sprintf("every value of %q is a date in layout %s", c.Name(), l),
				})
			}
		}
	}
	return out, nil
}

func allParse(levels []string, layout string) bool {
	for _, lv := range levels {
		if strings.TrimSpace(lv) == "" {
			continue
		}
		if _, err := time.Parse(layout, strings.TrimSpace(lv)); err != nil {
			return false
		}
	}
	return true
}
