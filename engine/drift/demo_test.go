package drift

import (
	"context"
	"testing"

	"github.com/mlwb/mlwb/engine/demo"
)

// TestDemoBatches: the demo's weekly batches follow the training
// distribution for weeks 1–6 and drift after; with Evidently's defaults
// (Wasserstein / Jensen–Shannon on 20,000 reference rows) no column of
// weeks 1–6 drifts, drifted columns appear from week 7 and their share
// rises, and the share reaches 0.5 (dataset drift) from week 10 on.
// Measured: 0.14 (wk 7), 0.36, 0.43, 0.57, 0.50, 0.50 (wk 12).
func TestDemoBatches(t *testing.T) {
	ctx := context.Background()
	ref, err := NewReference(ctx, demo.Customers(1, 20000), Options{Target: "churn"})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range demo.Batches(1, 12, 1500) {
		rep, err := ref.Compare(ctx, b.Frame)
		if err != nil {
			t.Fatal(err)
		}
		var drifted []string
		for _, c := range rep.Columns {
			if c.Error != "" {
				t.Errorf("week %d: %s: %s", b.Week, c.Name, c.Error)
			}
			if c.Drift {
				drifted = append(drifted, c.Name)
			}
		}
		t.Logf("week %2d: share %.2f %v", b.Week, rep.Share, drifted)
		switch {
		case b.Week <= 6 && len(drifted) > 0:
			t.Errorf("week %d: drift in %v in a stable week", b.Week, drifted)
		case b.Week == 7 && len(drifted) == 0:
			t.Errorf("week 7: no drifted column")
		case b.Week >= 8 && len(drifted) < 5:
			t.Errorf("week %d: only %v drifted", b.Week, drifted)
		case b.Week >= 10 && !rep.DatasetDrift:
			t.Errorf("week %d: no dataset drift (%v)", b.Week, drifted)
		case b.Week < 10 && rep.DatasetDrift:
			t.Errorf("week %d: dataset drift already (%v)", b.Week, drifted)
		}
		if _, ok := rep.Role("target"); !ok {
			t.Errorf("week %d: target churn not reported", b.Week)
		}
	}
}
