package match

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
)

// sharedData is ../shared/data seen from this package's directory.
const sharedData = "../../../shared/data"

func loadShared(t testing.TB, name string) *frame.Frame {
	t.Helper()
	p := filepath.Join(sharedData, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not available: %v", p, err)
	}
	f, err := dataio.Load(context.Background(), p, dataio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// patstat returns the PATSTAT input and, per input row, its gold leuven_id
// (from patstat_reference.csv, joined on person_id).
func patstat(t testing.TB) (*frame.Frame, []string) {
	in := loadShared(t, "patstat_input.csv")
	ref := loadShared(t, "patstat_reference.csv")
	pid, err := in.Column("person_id")
	if err != nil {
		t.Fatal(err)
	}
	rpid, _ := ref.Column("person_id")
	lid, _ := ref.Column("leuven_id")
	byPid := map[string]string{}
	for i := 0; i < ref.NumRows(); i++ {
		byPid[rpid.Format(i)] = lid.Format(i)
	}
	gold := make([]string, in.NumRows())
	for i := range gold {
		g, ok := byPid[pid.Format(i)]
		if !ok {
			t.Fatalf("person_id %s has no reference row", pid.Format(i))
		}
		gold[i] = g
	}
	return in, gold
}

// abtBuy returns the two Abt-Buy tables and their unique_id gold keys.
func abtBuy(t testing.TB) (a, b *frame.Frame, ka, kb []string) {
	a = loadShared(t, "abtbuy_abt.csv")
	b = loadShared(t, "abtbuy_buy.csv")
	keys := func(f *frame.Frame) []string {
		c, err := f.Column("unique_id")
		if err != nil {
			t.Fatal(err)
		}
		out := make([]string, f.NumRows())
		for i := range out {
			out[i] = c.Format(i)
		}
		return out
	}
	return a, b, keys(a), keys(b)
}
