package seed

// The shapes of the records in a seed file. Field names are the YAML keys;
// they are checked against these structs, so a misspelt key is an error
// rather than a silently dropped fact.

type fileRecord struct {
	Sources       []sourceRecord       `yaml:"sources"`
	Entities      []entityRecord       `yaml:"entities"`
	Relationships []relationshipRecord `yaml:"relationships"`
}

type sourceRecord struct {
	ID        string `yaml:"id"`
	Title     string `yaml:"title"`
	Publisher string `yaml:"publisher"`
	Author    string `yaml:"author"`
	URL       string `yaml:"url"`
	Language  string `yaml:"language"`
	Published string `yaml:"published"`
	Type      string `yaml:"type"`
	Note      string `yaml:"note"`
}

type citationRecord struct {
	Source string `yaml:"source"`
	Quote  string `yaml:"quote"`
}

type figureRecord struct {
	Label     string  `yaml:"label"`
	Value     float64 `yaml:"value"`
	Unit      string  `yaml:"unit"`
	Qualifier string  `yaml:"qualifier"`
	Date      string  `yaml:"date"`
	Source    string  `yaml:"source"`
	Quote     string  `yaml:"quote"`
}

type entityRecord struct {
	ID          string            `yaml:"id"`
	Kind        string            `yaml:"kind"`
	Name        string            `yaml:"name"`
	Aliases     []string          `yaml:"aliases"`
	Names       map[string]string `yaml:"names"`
	Description string            `yaml:"description"`
	Type        string            `yaml:"type"`
	Country     string            `yaml:"country"`
	ISO         string            `yaml:"iso"`
	Topics      []string          `yaml:"topics"`
	Start       string            `yaml:"start"`
	End         string            `yaml:"end"`
	Figures     []figureRecord    `yaml:"figures"`
	Sources     []citationRecord  `yaml:"sources"`
}

type relationshipRecord struct {
	ID         string            `yaml:"id"`
	Type       string            `yaml:"type"`
	From       string            `yaml:"from"`
	To         string            `yaml:"to"`
	Key        string            `yaml:"key"`
	Role       string            `yaml:"role"`
	Properties map[string]string `yaml:"properties"`
	ValidFrom  string            `yaml:"validFrom"`
	ValidTo    string            `yaml:"validTo"`
	Sources    []citationRecord  `yaml:"sources"`
}
