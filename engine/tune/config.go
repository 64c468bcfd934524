package tune

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ConfigFile is the name of the study file inside a study's folder.
const ConfigFile = "study.json"

// Config is the study file: what a study searches and how, in a form users
// edit by hand (the space is an array of text lines, see Parse). Extra
// holds what the caller needs to rebuild the objective (model, dataset,
// target, metric, folds); the engine does not read it.
type Config struct {
	Direction Direction         `json:"direction"`
	Space     *Space            `json:"space"`
	Sampler   string            `json:"sampler"`
	Pruner    string            `json:"pruner"`
	Seed      uint64            `json:"seed"`
	Extra     map[string]string `json:"extra,omitempty"`
}

// Options builds the study options: the sampler and pruner by name.
func (c *Config) Options() (Options, error) {
	smp, err := NewSampler(c.Sampler)
	if err != nil {
		return Options{}, err
	}
	pr, err := NewPruner(c.Pruner)
	if err != nil {
		return Options{}, err
	}
	o := Options{Direction: c.Direction, Space: c.Space, Sampler: smp, Pruner: pr, Seed: c.Seed}
	if err := o.Space.Validate(); err != nil {
		return Options{}, err
	}
	return o, nil
}

// SaveConfig writes dir/study.json atomically (a temporary file, fsync,
// rename).
func SaveConfig(dir string, c Config) error {
	if _, err := c.Options(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("tune: %w", err)
	}
	b = append(b, '\n')
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("tune: %w", err)
	}
	f, err := os.CreateTemp(dir, ".study-*.json")
	if err != nil {
		return fmt.Errorf("tune: %w", err)
	}
	_, werr := f.Write(b)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(f.Name(), filepath.Join(dir, ConfigFile))
	}
	if werr != nil {
		os.Remove(f.Name())
		return fmt.Errorf("tune: save study file: %w", werr)
	}
	return nil
}

// LoadConfig reads dir/study.json; errors name the file (and the line of
// the space at fault).
func LoadConfig(dir string) (Config, error) {
	path := filepath.Join(dir, ConfigFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("tune: %w", err)
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			pe.File = path + " space"
			return Config{}, pe
		}
		return Config{}, fmt.Errorf("tune: %s: %w", path, err)
	}
	if c.Space == nil {
		return Config{}, fmt.Errorf("tune: %s: no space", path)
	}
	if _, err := c.Options(); err != nil {
		return Config{}, fmt.Errorf("tune: %s: %w", path, unprefix(err))
	}
	return c, nil
}

type unprefixed struct{ error }

func (u unprefixed) Error() string {
	s := u.error.Error()
	if len(s) > 6 && s[:6] == "tune: " {
		return s[6:]
	}
	return s
}

func (u unprefixed) Unwrap() error { return u.error }

func unprefix(err error) error { return unprefixed{err} }
