package ui

import (
	"reflect"
	"testing"
	"time"
)

func TestStream(t *testing.T) {
	s := NewStream[int]()
	s.Push(1)
	s.Push(2)
	if got, closed := s.Next(); !reflect.DeepEqual(got, []int{1, 2}) || closed {
		t.Fatalf("Next = %v, %v; want [1 2], open", got, closed)
	}
	done := make(chan []int)
	go func() { got, _ := s.Next(); done <- got }()
	select {
	case <-done:
		t.Fatal("Next returned with nothing pushed")
	case <-time.After(20 * time.Millisecond):
	}
	s.Push(3)
	if got := <-done; !reflect.DeepEqual(got, []int{3}) {
		t.Fatalf("Next = %v, want [3]", got)
	}
	s.Push(4)
	s.Close()
	if got, closed := s.Next(); !reflect.DeepEqual(got, []int{4}) || !closed {
		t.Fatalf("Next = %v, %v; want [4], closed", got, closed)
	}
	if got, closed := s.Next(); got != nil || !closed {
		t.Fatalf("Next after close = %v, %v", got, closed)
	}
}
