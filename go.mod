module github.com/mlwb/mlwb

go 1.26.8
