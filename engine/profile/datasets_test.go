package profile

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mlwb/mlwb/engine/dataio"
)

// dataDir holds the shared public data sets; tests using it skip when absent.
const dataDir = "../../../shared/data"

func loadShared(t *testing.T, name string) *Report {
	t.Helper()
	path := filepath.Join(dataDir, name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not available: %v", path, err)
	}
	f, err := dataio.Load(context.Background(), path, dataio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Profile(context.Background(), f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func matrixAt(t *testing.T, m Matrix, a, b string) float64 {
	t.Helper()
	i, j := -1, -1
	for k, n := range m.Rows {
		if n == a {
			i = k
		}
	}
	for k, n := range m.Columns {
		if n == b {
			j = k
		}
	}
	if i < 0 || j < 0 {
		t.Fatalf("matrix lacks %s or %s", a, b)
	}
	return m.Values[i][j]
}

// TestSharedDatasets compares with pandas on iris and California housing
// (values from testdata/datasets_ref.py: Series.mean, std, skew, kurt,
// quantile; DataFrame.corr with both methods; duplicated().sum()).
func TestSharedDatasets(t *testing.T) {
	type stat struct {
		col                                 string
		count                               int
		mean, std, skew, kurt, p5, p25, p50 float64
		p75, p95                            float64
	}
	type corr struct {
		a, b              string
		pearson, spearman float64
	}
	for _, test := range []struct {
		file  string
		stats []stat
		corrs []corr
		dups  int
	}{
		{"iris.csv", []stat{
			{"sepal_length", 150, 5.843333333333334, 0.8280661279778629, 0.3149109566369728, -0.5520640413156395, 4.6, 5.1, 5.8, 6.4, 7.254999999999998},
		}, []corr{
			{"sepal_length", "sepal_width", -0.11756978413300088, -0.166777658283235},
			{"petal_length", "petal_width", 0.962865431402796, 0.9376668235763413},
		}, 1},
		{"california_housing.csv", []stat{
			{"longitude", 20640, -119.56970445736432, 2.003531723502581, -0.2978012079524362, -1.3301523662288144, -122.47, -121.8, -118.49, -118.01, -117.08},
			{"latitude", 20640, 35.63186143410853, 2.1359523974571117, 0.46595300370997006, -1.1177597814979523, 32.82, 33.93, 34.26, 37.71, 38.96},
			{"housing_median_age", 20640, 28.639486434108527, 12.585557612111637, 0.060330637599136865, -0.800628853586641, 8, 18, 29, 37, 52},
			// 207 missing values
			{"total_bedrooms", 20433, 537.8705525375618, 421.3850700740322, 3.459546331523342, 21.985575060645203, nan, nan, nan, nan, nan},
		}, []corr{
			{"longitude", "latitude", -0.9246644339150368, -0.879202883247389},
			{"median_income", "median_house_value", 0.6880752079585577, 0.6767781095942506},
			// total_bedrooms has missing values: pairwise re-ranked, as pandas
			{"total_bedrooms", "total_rooms", 0.9303795046865071, 0.9150205732003575},
		}, 0},
	} {
		t.Run(test.file, func(t *testing.T) {
			r := loadShared(t, test.file)
			for _, s := range test.stats {
				c := column(t, r, s.col)
				n := c.Numeric
				if c.Count != s.count || n == nil {
					t.Fatalf("%s: count %d (numeric %v), want %d", s.col, c.Count, n != nil, s.count)
				}
				for _, v := range []struct {
					name      string
					got, want float64
				}{{"mean", n.Mean, s.mean}, {"std", n.Std, s.std}, {"skew", n.Skewness, s.skew}, {"kurt", n.Kurtosis, s.kurt},
					{"p5", n.P5, s.p5}, {"p25", n.P25, s.p25}, {"p50", n.P50, s.p50}, {"p75", n.P75, s.p75}, {"p95", n.P95, s.p95}} {
					if !isNaN(v.want) && !near(v.got, v.want, tol) {
						t.Errorf("%s %s = %v, want %v", s.col, v.name, v.got, v.want)
					}
				}
			}
			for _, c := range test.corrs {
				if p := matrixAt(t, r.Correlations.Pearson, c.a, c.b); !near(p, c.pearson, tol) {
					t.Errorf("pearson %s-%s = %v, want %v", c.a, c.b, p, c.pearson)
				}
				if s := matrixAt(t, r.Correlations.Spearman, c.a, c.b); !near(s, c.spearman, tol) {
					t.Errorf("spearman %s-%s = %v, want %v", c.a, c.b, s, c.spearman)
				}
			}
			if r.Duplicates != test.dups {
				t.Errorf("duplicates %d, want %d", r.Duplicates, test.dups)
			}
		})
	}
}

func isNaN(v float64) bool { return v != v }
