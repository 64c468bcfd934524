package profile

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// Float is a float64 that marshals to JSON as a number, or as null when it is
// NaN or ±Inf (which JSON cannot represent).
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) { return appendFloat(nil, float64(f)), nil }

func appendFloat(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// obj writes one JSON object with keys in insertion order.
type obj struct {
	b     []byte
	first bool
}

func (o *obj) open()  { o.b = append(o.b, '{'); o.first = true }
func (o *obj) close() { o.b = append(o.b, '}') }
func (o *obj) key(k string) {
	if !o.first {
		o.b = append(o.b, ',')
	}
	o.first = false
	o.b = appendString(o.b, k)
	o.b = append(o.b, ':')
}
func (o *obj) str(k, v string)         { o.key(k); o.b = appendString(o.b, v) }
func (o *obj) num(k string, v float64) { o.key(k); o.b = appendFloat(o.b, v) }
func (o *obj) int(k string, v int)     { o.key(k); o.b = strconv.AppendInt(o.b, int64(v), 10) }
func (o *obj) raw(k string, v []byte)  { o.key(k); o.b = append(o.b, v...) }

func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // never fails for a string
	return append(b, q...)
}

func appendFloats(b []byte, v []float64) []byte {
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFloat(b, x)
	}
	return append(b, ']')
}

func appendStrings(b []byte, v []string) []byte {
	b = append(b, '[')
	for i, s := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// MarshalJSON writes the report as the documented, stable JSON of the
// command-line interface (keys in this order; absent statistics are null):
//
//	{"rows": N,
//	 "columns": [{"name", "type", "count", "missing", "missing_pct", "distinct",
//	   numeric:  "mean", "std", "variance", "min", "p1", "p5", "p25", "p50", "p75",
//	             "p95", "p99", "max", "range", "iqr", "skewness", "kurtosis", "zeros",
//	             "negatives", "infinite", "cv", "mad", "sum", "monotonicity",
//	             "histogram": {"edges": [...], "counts": [...]}, "outliers_iqr",
//	             "outliers_robust_z", "uniformity_p"
//	   text:     "top": [{"value", "count"}], "entropy", "imbalance", "length_min",
//	             "length_mean", "length_max", "uniformity_p"
//	   bool:     "true", "false", "top", "entropy", "imbalance"
//	   datetime: "min", "max" (RFC 3339 strings), "range_seconds",
//	             "largest_gap_seconds"}],
//	 "correlations": {"pearson": {"columns": [...], "matrix": [[...]]},
//	   "spearman": {...}, "cramers_v": {...},
//	   "eta": {"rows": [numeric...], "columns": [categorical...], "matrix": [[...]]}},
//	 "target": {"name", "type", "associations": [{"column", "method", "value",
//	   "mutual_info", "normalized_mi", "purity"}]}   (only with a target)
//	 "alerts": [{"column", "kind", "detail", "value"}],
//	 "duplicates": N}
func (r *Report) MarshalJSON() ([]byte, error) {
	var o obj
	o.open()
	o.int("rows", r.Rows)
	o.key("columns")
	o.b = append(o.b, '[')
	for i := range r.Columns {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = r.Columns[i].appendJSON(o.b)
	}
	o.b = append(o.b, ']')

	o.key("correlations")
	var c obj
	c.b = o.b
	c.open()
	c.raw("pearson", matrixJSON(r.Correlations.Pearson, false))
	c.raw("spearman", matrixJSON(r.Correlations.Spearman, false))
	c.raw("cramers_v", matrixJSON(r.Correlations.CramersV, false))
	c.raw("eta", matrixJSON(r.Correlations.Eta, true))
	c.close()
	o.b = c.b

	if t := r.Target; t != nil {
		o.key("target")
		var to obj
		to.b = o.b
		to.open()
		to.str("name", t.Name)
		to.str("type", t.Type.String())
		to.key("associations")
		to.b = append(to.b, '[')
		for i, a := range t.Associations {
			if i > 0 {
				to.b = append(to.b, ',')
			}
			var ao obj
			ao.b = to.b
			ao.open()
			ao.str("column", a.Column)
			ao.str("method", a.Method)
			ao.num("value", a.Value)
			ao.num("mutual_info", a.MutualInfo)
			ao.num("normalized_mi", a.NormalizedMI)
			ao.num("purity", a.Purity)
			ao.close()
			to.b = ao.b
		}
		to.b = append(to.b, ']')
		to.close()
		o.b = to.b
	}

	o.key("alerts")
	o.b = append(o.b, '[')
	for i, a := range r.Alerts {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		var ao obj
		ao.b = o.b
		ao.open()
		ao.str("column", a.Column)
		ao.str("kind", string(a.Kind))
		ao.str("detail", a.Detail)
		ao.num("value", a.Value)
		ao.close()
		o.b = ao.b
	}
	o.b = append(o.b, ']')
	o.int("duplicates", r.Duplicates)
	o.close()
	return o.b, nil
}

func matrixJSON(m Matrix, withRows bool) []byte {
	var o obj
	o.open()
	if withRows {
		o.raw("rows", appendStrings(nil, m.Rows))
	}
	o.raw("columns", appendStrings(nil, m.Columns))
	o.key("matrix")
	o.b = append(o.b, '[')
	for i, row := range m.Values {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = appendFloats(o.b, row)
	}
	o.b = append(o.b, ']')
	o.close()
	return o.b
}

// MarshalJSON writes one column object as documented on Report.MarshalJSON.
func (c ColumnReport) MarshalJSON() ([]byte, error) { return c.appendJSON(nil), nil }

func (c *ColumnReport) appendJSON(b []byte) []byte {
	o := obj{b: b}
	o.open()
	o.str("name", c.Name)
	o.str("type", c.Type.String())
	o.int("count", c.Count)
	o.int("missing", c.Missing)
	o.num("missing_pct", c.MissingPct)
	o.int("distinct", c.Distinct)
	if s := c.Numeric; s != nil {
		for _, kv := range []struct {
			k string
			v float64
		}{{"mean", s.Mean}, {"std", s.Std}, {"variance", s.Variance}, {"min", s.Min}, {"p1", s.P1}, {"p5", s.P5},
			{"p25", s.P25}, {"p50", s.P50}, {"p75", s.P75}, {"p95", s.P95}, {"p99", s.P99}, {"max", s.Max},
			{"range", s.Range}, {"iqr", s.IQR}, {"skewness", s.Skewness}, {"kurtosis", s.Kurtosis}} {
			o.num(kv.k, kv.v)
		}
		o.int("zeros", s.Zeros)
		o.int("negatives", s.Negatives)
		o.int("infinite", s.Infinite)
		o.num("cv", s.CV)
		o.num("mad", s.MAD)
		o.num("sum", s.Sum)
		o.str("monotonicity", s.Monotonicity.String())
		o.key("histogram")
		h := obj{b: o.b}
		h.open()
		h.raw("edges", appendFloats(nil, s.Histogram.Edges))
		h.key("counts")
		h.b = append(h.b, '[')
		for i, n := range s.Histogram.Counts {
			if i > 0 {
				h.b = append(h.b, ',')
			}
			h.b = strconv.AppendInt(h.b, int64(n), 10)
		}
		h.b = append(h.b, ']')
		h.close()
		o.b = h.b
		o.int("outliers_iqr", s.OutliersIQR)
		o.int("outliers_robust_z", s.OutliersRobustZ)
		o.num("uniformity_p", s.UniformityP)
	}
	if t := c.Text; t != nil {
		o.raw("top", topJSON(t.Top))
		o.num("entropy", t.Entropy)
		o.num("imbalance", t.Imbalance)
		if c.Distinct > 0 {
			o.int("length_min", t.LengthMin)
		} else {
			o.num("length_min", math.NaN())
		}
		o.num("length_mean", t.LengthMean)
		if c.Distinct > 0 {
			o.int("length_max", t.LengthMax)
		} else {
			o.num("length_max", math.NaN())
		}
		o.num("uniformity_p", t.UniformityP)
	}
	if bs := c.Bool; bs != nil {
		o.int("true", bs.True)
		o.int("false", bs.False)
		var top []ValueCount
		for _, vc := range []ValueCount{{"true", bs.True}, {"false", bs.False}} {
			if vc.Count > 0 {
				top = append(top, vc)
			}
		}
		if len(top) == 2 && bs.False > bs.True {
			top[0], top[1] = top[1], top[0]
		}
		o.raw("top", topJSON(top))
		o.num("entropy", bs.Entropy)
		o.num("imbalance", bs.Imbalance)
	}
	if d := c.Datetime; d != nil {
		if c.Count > 0 {
			o.str("min", d.Min.Format(time.RFC3339Nano))
			o.str("max", d.Max.Format(time.RFC3339Nano))
			o.num("range_seconds", d.Range.Seconds())
			o.num("largest_gap_seconds", d.LargestGap.Seconds())
		} else {
			for _, k := range []string{"min", "max", "range_seconds", "largest_gap_seconds"} {
				o.num(k, math.NaN())
			}
		}
	}
	o.close()
	return o.b
}

func topJSON(top []ValueCount) []byte {
	b := []byte{'['}
	for i, vc := range top {
		if i > 0 {
			b = append(b, ',')
		}
		o := obj{b: b}
		o.open()
		o.str("value", vc.Value)
		o.int("count", vc.Count)
		o.close()
		b = o.b
	}
	return append(b, ']')
}
