package dataio

import (
	"strconv"
	"testing"
)

var benchNums = [][]byte{[]byte("-1.23376"), []byte("9.51242"), []byte("12.86624"), []byte("-20.09066"), []byte("0.42909"), []byte("1.17211")}

func BenchmarkParseFloat(b *testing.B) {
	var s float64
	for i := 0; b.Loop(); i++ {
		f, _ := parseFloat(benchNums[i%len(benchNums)])
		s += f
	}
	_ = s
}

func BenchmarkStrconvParseFloat(b *testing.B) {
	strs := make([]string, len(benchNums))
	for i, n := range benchNums {
		strs[i] = string(n)
	}
	var s float64
	for i := 0; b.Loop(); i++ {
		f, _ := strconv.ParseFloat(strs[i%len(strs)], 64)
		s += f
	}
	_ = s
}
