package models

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// FileFormat and FileVersion identify the model file format written by Save.
const (
	FileFormat  = "mlwb-model"
	FileVersion = 1
)

// envelope is the model file: fields in this fixed order.
type envelope struct {
	Format   string            `json:"format"`
	Version  int               `json:"version"`
	Kind     string            `json:"kind"`
	Task     string            `json:"task"`
	Params   map[string]string `json:"params"`
	Features []string          `json:"features"`
	Classes  []string          `json:"classes,omitempty"`
	Body     json.RawMessage   `json:"body"`
}

// Save writes a fitted model as one JSON document (see the package doc for
// the format). The same model always gives the same bytes.
func Save(w io.Writer, m Model) error {
	h, ok := m.(infoHolder)
	if !ok || !h.isFitted() {
		return fmt.Errorf("models: save %s: %w", m.Kind(), ErrNotFitted)
	}
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("models: save %s: %w", m.Kind(), err)
	}
	env := envelope{Format: FileFormat, Version: FileVersion, Kind: m.Kind(), Task: m.Task().String(),
		Params: map[string]string{}, Features: m.Features(), Classes: m.Classes(), Body: body}
	for _, p := range m.Params() {
		env.Params[p.Name] = p.Value
	}
	out, err := json.Marshal(env)
	if err != nil {
		return fmt.Errorf("models: save %s: %w", m.Kind(), err)
	}
	out = append(out, '\n')
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("models: save %s: %w", m.Kind(), err)
	}
	return nil
}

// maxModelBytes bounds what Load reads (1 GiB), so a wrong file cannot
// exhaust memory.
const maxModelBytes = 1 << 30

// Load reads a model written by Save, also when gzip-compressed (a caller
// may wrap Save's writer in a gzip.Writer; Load recognises the gzip header).
// It only decodes data: the kind selects
// which Go type the body is decoded into, parameters go through Set, and the
// model's own validate step checks the decoded arrays (indices in range) so
// that a corrupt file gives an error, never a panic when predicting.
func Load(r io.Reader) (Model, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("models: load: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	data, err := io.ReadAll(io.LimitReader(br, maxModelBytes+1))
	if err != nil {
		return nil, fmt.Errorf("models: load: %w", err)
	}
	if len(data) > maxModelBytes {
		return nil, errors.New("models: load: file larger than 1 GiB")
	}
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&env); err != nil {
		return nil, fmt.Errorf("models: load: not an mlwb model file: %w", err)
	}
	if env.Format != FileFormat {
		return nil, fmt.Errorf("models: load: format %q, want %q", env.Format, FileFormat)
	}
	if env.Version != FileVersion {
		return nil, fmt.Errorf("models: load: version %d; this mlwb reads version %d", env.Version, FileVersion)
	}
	task, err := ParseTask(env.Task)
	if err != nil {
		return nil, fmt.Errorf("models: load: %w", err)
	}
	m, err := New(env.Kind, env.Params, 0)
	if err != nil {
		return nil, fmt.Errorf("models: load: %w", err)
	}
	if err := json.Unmarshal(env.Body, m); err != nil {
		return nil, fmt.Errorf("models: load %s body: %w", env.Kind, err)
	}
	if task.Classifier() && len(env.Classes) < 2 {
		return nil, fmt.Errorf("models: load: %s task with %d classes", task, len(env.Classes))
	}
	if len(env.Features) == 0 {
		return nil, errors.New("models: load: no features")
	}
	m.(infoHolder).setInfo(task, env.Classes, env.Features)
	if v, ok := m.(interface{ validate() error }); ok {
		if err := v.validate(); err != nil {
			return nil, fmt.Errorf("models: load %s: %w", env.Kind, err)
		}
	}
	return m, nil
}
