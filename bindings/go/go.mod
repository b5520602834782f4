module github.com/diskann-java/diskann-go

go 1.19
