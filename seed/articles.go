package seed

import (
	"embed"
	"path"
)

// Articles holds the text of the two seed articles (main text and sidebars,
// as the seed files were given) and excuses.yaml, the sentences of them
// that the dataset leaves out and why (see package coverage). They are
// compiled in so that quotes can be checked against the text anywhere the
// binary runs.
//
//go:embed articles/*.txt articles/excuses.yaml
var Articles embed.FS

// ArticleFiles maps each source that is one of the seed articles to its
// text file in Articles.
var ArticleFiles = map[string]string{
	"source:thoidai-2021-vn-jp-localities": "articles/thoidai-2021-vn-jp-localities.txt",
	"source:vj-local-forum-2025":           "articles/vj-local-forum-2025.txt",
}

// ExcusesFile is the file in Articles that lists the sentences left out.
const ExcusesFile = "articles/excuses.yaml"

// ArticleText returns the text of the seed article that source id is, and
// whether it is one.
func ArticleText(id string) (string, bool) {
	file, ok := ArticleFiles[id]
	if !ok {
		return "", false
	}
	data, err := Articles.ReadFile(path.Clean(file))
	if err != nil {
		return "", false // the files are embedded: cannot happen
	}
	return string(data), true
}
