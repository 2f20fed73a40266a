module github.com/vjkg/vjkg

go 1.26.8

require (
	go.etcd.io/bbolt v1.5.0
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/text v0.44.0
)

require golang.org/x/sys v0.45.0 // indirect
