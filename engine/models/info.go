package models

// info is the fitted metadata every model keeps: embed it to get Task,
// Classes and Features, and call setInfo at the end of Fit. Load restores it
// from the file envelope, so it is not part of a model's JSON body.
type info struct {
	task     Task
	classes  []string
	features []string
	fitted   bool
}

// Task returns the task the model was fitted for.
func (b *info) Task() Task { return b.task }

// Classes returns the class labels of a classifier (nil otherwise).
func (b *info) Classes() []string { return b.classes }

// Features returns the names of the columns the model was fitted on.
func (b *info) Features() []string { return b.features }

func (b *info) setInfo(task Task, classes, features []string) {
	b.task, b.fitted = task, true
	if task.Classifier() {
		b.classes = append([]string(nil), classes...)
	}
	b.features = append([]string(nil), features...)
}

func (b *info) isFitted() bool { return b.fitted }

// infoHolder is implemented by every model through an embedded info.
type infoHolder interface {
	setInfo(task Task, classes, features []string)
	isFitted() bool
}
