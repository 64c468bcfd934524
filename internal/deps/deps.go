// Package deps pins the project's direct dependencies in go.mod while the
// packages that use them are being written in parallel. Delete it once every
// dependency below is imported by real code.
package deps

import (
	_ "github.com/charmbracelet/bubbles/table"
	_ "github.com/charmbracelet/bubbletea"
	_ "github.com/charmbracelet/lipgloss"
	_ "github.com/charmbracelet/x/exp/golden"
	_ "github.com/charmbracelet/x/exp/teatest"
	_ "github.com/go-gota/gota/dataframe"
	_ "github.com/guptarohit/asciigraph"
	_ "github.com/parquet-go/parquet-go"
	_ "github.com/spf13/cobra"
	_ "gonum.org/v1/gonum/stat"
)
