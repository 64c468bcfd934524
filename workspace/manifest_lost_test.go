package workspace

import (
	"context"
	"os"
	"strings"
	"testing"
)

// A deleted datasets.json must not be replaced by an empty one on the next
// import: that dropped every earlier dataset from the registry, and the
// import after it overwrote datasets.json.bak, the only copy left.
func TestImportRefusesLostManifest(t *testing.T) {
	ctx := context.Background()
	w := initWith(t)
	for _, name := range []string{"a", "b"} {
		if _, err := w.ImportFrame(ctx, name, "", testFrame(3)); err != nil {
			t.Fatal(err)
		}
	}
	p := w.Path(DataDir, ManifestFile)
	bak, err := os.ReadFile(p + ".bak")
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	for i := 0; i < 2; i++ {
		_, err := w.ImportFrame(ctx, "c", "", testFrame(5))
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), ".bak") {
			t.Fatalf("import %d without the manifest = %v, want an error naming %s and its .bak", i+1, err, p)
		}
	}
	if err := w.DeleteDataset(ctx, "a"); err == nil {
		t.Error("DeleteDataset without the manifest succeeded")
	}
	if got, err := os.ReadFile(p + ".bak"); err != nil || string(got) != string(bak) {
		t.Fatalf("datasets.json.bak changed: %v", err)
	}
	// Snapshots but neither file: still refused.
	os.Remove(p + ".bak")
	if _, err := w.ImportFrame(ctx, "c", "", testFrame(5)); err == nil || !strings.Contains(err.Error(), "snapshots") {
		t.Errorf("import with orphan snapshots and no manifest = %v, want an error", err)
	}
	// Restored, imports work again and nothing was lost.
	if err := os.WriteFile(p, bak, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ImportFrame(ctx, "c", "", testFrame(5)); err != nil {
		t.Fatal(err)
	}
	ds, err := w.Datasets()
	if err != nil || len(ds) != 2 {
		t.Errorf("datasets after restore: %d, %v; want a (from .bak) and c", len(ds), err)
	}
	// A fresh workspace (manifest written by Init) still imports.
	w2 := initWith(t)
	if _, err := w2.ImportFrame(ctx, "x", "", testFrame(2)); err != nil {
		t.Fatal(err)
	}
}
