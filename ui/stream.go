package ui

import "sync"

// Stream carries items from a job's goroutine to the UI without blocking
// the job: Push never blocks, Next blocks until something was pushed or the
// stream was closed and returns everything pending. A screen wraps Next in
// a command that it re-issues until the stream reports closed.
type Stream[T any] struct {
	mu      sync.Mutex
	pending []T
	closed  bool
	notify  chan struct{}
}

// NewStream returns an open, empty stream.
func NewStream[T any]() *Stream[T] { return &Stream[T]{notify: make(chan struct{}, 1)} }

func (s *Stream[T]) signal() {
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// Push adds v for the next Next.
func (s *Stream[T]) Push(v T) {
	s.mu.Lock()
	s.pending = append(s.pending, v)
	s.mu.Unlock()
	s.signal()
}

// Close marks the stream finished; every later Next returns at once.
func (s *Stream[T]) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.signal()
}

// Next waits for pushed items or the close, and returns the items pushed
// since the last call and whether the stream is closed.
func (s *Stream[T]) Next() (items []T, closed bool) {
	<-s.notify
	s.mu.Lock()
	defer s.mu.Unlock()
	items, closed = s.pending, s.closed
	s.pending = nil
	if closed {
		s.signal() // any later Next returns at once
	}
	return items, closed
}
