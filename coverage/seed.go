package coverage

import (
	"github.com/vjkg/vjkg/seed"
)

// Command is how the seed report is written; the report names it.
const Command = "go run . coverage -o docs/seed-coverage.md"

// Seed builds the coverage report of the seed dataset: its two articles,
// its records and its excuses, all compiled into the binary.
func Seed() (*Report, error) {
	b, err := seed.Dataset()
	if err != nil {
		return nil, err
	}
	data, err := seed.Articles.ReadFile(seed.ExcusesFile)
	if err != nil {
		return nil, err
	}
	excuses, err := ParseExcuses(data)
	if err != nil {
		return nil, err
	}
	titles := map[string]string{}
	for _, s := range b.Sources {
		titles[s.ID] = s.Title
	}
	var articles []Article
	for _, id := range []string{"source:thoidai-2021-vn-jp-localities", "source:vj-local-forum-2025"} {
		text, _ := seed.ArticleText(id)
		articles = append(articles, Article{SourceID: id, Title: titles[id], Text: text})
	}
	return Build(b, articles, excuses), nil
}
