package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/dataio"
)

const matchLeft = "id,name,price\n1,Akzo Nobel N.V.,10\n2,Unilever,20\n3,Royal Philips,30\n4,Shell Oil,\n"
const matchRight = "id,company,cost\n3,PHILIPS ROYAL,$31.00\n1,akzo  nobel,$10\n2,Unilver,\n9,Tesla,$99\n"

func TestMatchJSON(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", matchLeft)
	b := writeFile(t, dir, "b.csv", matchRight)
	out, errs, code := run(t, "match", a, b, "--on", "name=company:tokenset:3,price=cost:numeric", "--threshold", "0.8", "--gold", "id", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if errs != "" {
		t.Errorf("--json must keep stderr quiet, got %q", errs)
	}
	var got MatchJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	if got.Dedupe || got.LeftRows != 4 || got.RightRows != 4 || got.Threshold != 0.8 || len(got.Fields) != 2 {
		t.Errorf("header %+v", got)
	}
	if got.Fields[0].Name != "name=company" || got.Fields[0].Sim != "tokenset" || got.Fields[0].Weight != 3 || got.Fields[1].Sim != "numeric" {
		t.Errorf("fields %+v", got.Fields)
	}
	// Akzo (0,1), Philips (2,0), Unilever (1,2): the engine tests derive the scores.
	want := map[[2]int]bool{{0, 1}: true, {2, 0}: true, {1, 2}: true}
	if len(got.Pairs) != 3 || got.Matches != 3 {
		t.Fatalf("pairs %+v, want 3", got.Pairs)
	}
	for _, p := range got.Pairs {
		if !want[[2]int{p.Left, p.Right}] || p.Status != "auto" {
			t.Errorf("unexpected pair %+v", p)
		}
		if _, ok := p.Fields["name=company"]; !ok {
			t.Errorf("pair %+v lacks the name field score", p)
		}
		if p.Left == 1 && p.Fields["price=cost"] != nil {
			t.Errorf("missing cost should be null, got %v", *p.Fields["price=cost"])
		}
	}
	if got.Candidates < 3 || got.Comparisons < 3 {
		t.Errorf("candidates %d, comparisons %d", got.Candidates, got.Comparisons)
	}
	if got.Gold == nil || got.Gold.TP != 3 || got.Gold.FP != 0 || got.Gold.FN != 0 || got.Gold.F1 != 1 {
		t.Errorf("gold %+v, want a perfect 3 of 3", got.Gold)
	}
}

func TestMatchHumanAndFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", matchLeft)
	b := writeFile(t, dir, "b.csv", matchRight)
	table := filepath.Join(dir, "pairs.csv")
	merged := filepath.Join(dir, "merged.parquet")
	out, errs, code := run(t, "match", a, b, "--on", "name=company", "--threshold", "0.95", "--review", "0.9,0.95", "--out", table, "--merged", merged)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{"2 matches at threshold 0.95, 1 to review in [0.9, 0.95)", "Akzo Nobel N.V.", "akzo nobel", "review", "written to " + table} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	ft, err := dataio.Load(context.Background(), table, dataio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ft.NumRows() != 3 || strings.Join(ft.Names(), ",") != "left,right,score,status,score_name=company,left_name,right_company" {
		t.Errorf("match table %d rows, columns %v", ft.NumRows(), ft.Names())
	}
	fm, err := dataio.Load(context.Background(), merged, dataio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Every A row, A's columns, then B's (id clashes: id_right), match_row, match_score.
	if fm.NumRows() != 4 || strings.Join(fm.Names(), ",") != "id,name,price,id_right,company,cost,match_row,match_score" {
		t.Errorf("merged %d rows, columns %v", fm.NumRows(), fm.Names())
	}
	c, _ := fm.Column("company")
	if c.Format(0) != "akzo nobel" && c.Format(0) != "akzo  nobel" {
		t.Errorf("merged company of row 0 = %q", c.Format(0))
	}
	if !c.IsNA(1) { // Unilever is only in review, not matched
		t.Errorf("row 1 should have no match, got %q", c.Format(1))
	}
}

func TestMatchDedupe(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "c.csv", "n,k\nACME Corp,1\nAcme corp.,2\nGlobex,3\nACME CORP,4\nInitech,5\nGlobex Inc,6\n,7\nacme-corp,8\n")
	for _, args := range [][]string{{p}, {p, p}, {p, "--dedupe"}} {
		out, errs, code := run(t, append([]string{"match", "--on", "n", "--threshold", "0.9", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var got MatchJSON
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if !got.Dedupe || len(got.Pairs) != 7 || got.Clusters == nil || *got.Clusters != 4 {
			t.Errorf("%v: dedupe %v, %d pairs, clusters %v; want 7 pairs in 4 clusters", args, got.Dedupe, len(got.Pairs), got.Clusters)
		}
		for _, pr := range got.Pairs {
			if pr.Left >= pr.Right {
				t.Errorf("pair %+v not i < j", pr)
			}
		}
	}
	out, _, _ := run(t, "match", p, "--on", "n", "--json", "--limit", "2")
	var got MatchJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Pairs) != 2 || !got.Truncated {
		t.Errorf("--limit 2 with --json: %d pairs, truncated %v (%v)", len(got.Pairs), got.Truncated, err)
	}
}

func TestMatchErrors(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", matchLeft)
	b := writeFile(t, dir, "b.csv", matchRight)
	empty := writeFile(t, dir, "empty.csv", "name,price\n")
	blank := writeFile(t, dir, "blank.csv", "name,x\n,1\n,2\n")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{a, b, "--on", "nme"}, `no column "nme" in ` + a + ` (columns: id, name, price)`},
		{[]string{a, b, "--on", "name"}, `no column "name" in ` + b + ` (columns: id, company, cost)`},
		{[]string{a, b}, "--on is required"},
		{[]string{a, b, "--on", "name=company:soundex"}, `unknown similarity "soundex"`},
		{[]string{a, b, "--on", "name=company:jw:-2"}, "not a positive number"},
		{[]string{a, b, "--on", "name=company", "--threshold", "1.5"}, "--threshold 1.5"},
		{[]string{a, b, "--on", "name=company", "--review", "0.9"}, "--review"},
		{[]string{a, b, "--on", "name=company", "--block", "magic"}, `unknown blocking "magic"`},
		{[]string{a, b, "--on", "name=company", "--out", filepath.Join(dir, "x.xlsx")}, "must end in .csv or .parquet"},
		{[]string{a, b, "--on", "name=company", "--gold", "key"}, `--gold: no column "key"`},
		{[]string{a, b, "--on", "name=company", "--dedupe"}, "two different tables"},
		{[]string{empty, "--on", "name"}, empty + " has no rows"},
		{[]string{blank, "--on", "name"}, `field "name" in ` + blank + `: every value is missing`},
		{[]string{filepath.Join(dir, "nope.csv"), b, "--on", "name", "-w", dir}, "no such file"},
	}
	for _, c := range cases {
		out, errs, code := run(t, append([]string{"match"}, c.args...)...)
		if code == 0 {
			t.Errorf("%v: succeeded, output %q", c.args, out)
			continue
		}
		if !strings.Contains(errs, c.want) {
			t.Errorf("%v: error %q, want it to contain %q", c.args, errs, c.want)
		}
		if strings.Count(strings.TrimRight(errs, "\n"), "\n") != 0 {
			t.Errorf("%v: error is not one line: %q", c.args, errs)
		}
	}
}

func TestMatchWorkspaceDatasets(t *testing.T) {
	dir := t.TempDir()
	ws := filepath.Join(dir, "ws")
	a := writeFile(t, dir, "left.csv", matchLeft)
	b := writeFile(t, dir, "right.csv", matchRight)
	for _, args := range [][]string{{"init", ws}, {"import", a, "-w", ws}, {"import", b, "-w", ws}} {
		if _, errs, code := run(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	if err := os.Chdir(dir); err != nil { // datasets, not files, must be found
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chdir("/") })
	out, errs, code := run(t, "match", "left", "right@1", "-w", ws, "--on", "name=company", "--threshold", "0.9", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got MatchJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Left != "left@1" || got.Right != "right@1" || got.Matches != 3 {
		t.Errorf("left %q right %q matches %d; want left@1, right@1 and 3", got.Left, got.Right, got.Matches)
	}
	if _, errs, code := run(t, "match", "left", "right@7", "-w", ws, "--on", "name=company"); code == 0 || !strings.Contains(errs, "not 7") {
		t.Errorf("bad version: exit %d, %q", code, errs)
	}
}

func TestMatchSharedData(t *testing.T) {
	p := filepath.Join("..", "..", "shared", "data", "patstat_input.csv")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not available", p)
	}
	out, errs, code := run(t, "match", p, p, "--on", "Name", "--json", "--limit", "5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got MatchJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	// 2,379 names: far fewer candidates than the 2,828,631 pairs.
	if !got.Dedupe || got.LeftRows != 2379 || got.Candidates >= 2379*2378/2 || got.Matches < 200000 {
		t.Errorf("PATSTAT: %+v", got)
	}
}

func TestMatchPairsJSONEncoding(t *testing.T) {
	one, tiny := 1.0, 1e-9
	ps := MatchPairsJSON{
		{Left: 1, Right: 2, Score: 0.9333333333333333, Status: "review", Fields: map[string]*float64{"b\"q": &one, "a": nil, "é": &tiny}},
		{Left: 0, Right: 7, Score: 1, Status: "auto", Fields: map[string]*float64{}},
	}
	got, err := json.Marshal(ps)
	if err != nil {
		t.Fatal(err)
	}
	// The same data through encoding/json's reflection path.
	want, err := json.Marshal([]MatchPairJSON(ps))
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("invalid JSON %s: %v", got, err)
	}
	_ = json.Unmarshal(want, &w)
	gs, _ := json.Marshal(g)
	ws, _ := json.Marshal(w)
	if string(gs) != string(ws) {
		t.Errorf("custom encoding\n%s\ndiffers from encoding/json\n%s", got, want)
	}
}
