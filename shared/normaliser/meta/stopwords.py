"""Function-word tables per language (ISO 639-1), written for this project.

Each list holds the most frequent function words of its language (articles, pronouns,
prepositions, conjunctions, auxiliaries), casefolded. Two uses: :mod:`normaliser.text.language`
guesses a page's language from how many of its words fall in each list, and
:mod:`normaliser.text.measure` measures how much a line reads like running prose (sentences are
about 40-55% function words in these languages; menus, headings and link lists far fewer).

Words shared by several languages (``a``, ``de``, ``la``, ``in``) are fine: the language
guess compares whole-page totals, and the prose measure uses the union when the language is
unknown. Scripts without spaces (Chinese, Japanese, Thai) are told apart by script instead,
and their prose particles are in :data:`PARTICLES`.
"""

from __future__ import annotations

_WORDS: dict[str, str] = {
    "en": """the of and to a in is it that for on was with as at by be this are or from
        an but not have has had were which you they we he she his her its their our your
        will would can could there been if so all no one more about when what who into
        than then also only other some such these those them him me my i do does did up
        out over after before because while where how may should very just any each""",
    "de": """der die das und in zu den von mit sich des auf für ist im dem nicht ein eine
        als auch es an werden aus er hat dass daß sie nach wird bei einer um am sind noch
        wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch man
        sein wurde sei ich wir ihr ihre seine seiner kann können dieser diese dieses wenn
        was hier schon unter""",
    "fr": """le la les de des du un une et à en est que qui dans pour pas par sur au aux
        ce cette ces il elle ils elles on nous vous son sa ses leur leurs plus ne avec
        mais ou où été être a ont sont était comme tout tous fait aussi si y se lui
        même entre dont sans après avant très bien encore""",
    "es": """el la los las de del y en a que un una es por con para no se su sus al lo
        como más pero o ha han fue son está están este esta estos estas ese esa sobre
        entre cuando también muy sin hasta desde donde quien porque ya ni hay le les me
        nos mi era ser sido todo todos otro otra""",
    "pt": """o a os as de do da dos das e em no na nos nas um uma que é por para com não
        se seu sua seus suas ao à aos mais mas ou foi são está como ele ela eles elas
        isso este esta esse essa sobre entre quando também muito sem até desde onde
        quem porque já nem há lhe me nós meu era ser sido todo todos pelo pela""",
    "it": """il lo la i gli le di del della dei delle e ed in un una uno che è per con
        non si su al alla ai alle da dal dalla ma o come più anche sono era ha hanno
        questo questa questi quello quella nel nella negli sul sulla tra fra se suo sua
        loro noi voi io lui lei ci ne già molto dopo essere stato""",
    "nl": """de het een en van in is dat op te zijn met voor niet aan er die dit ook als
        bij door om maar nog wordt werd naar uit over heeft hebben was waren of dan
        wat zo ze zich hij zij wij we ik je u hun haar zijn kan kunnen meer al geen
        tot deze onder na""",
    "sv": """och i att det som en på är av för med till den har de inte om ett han men
        var sig från så kan man vid eller hon när efter under också ska skulle då
        alla hade nu bara detta dessa hans hennes deras vi jag du ni mot utan""",
    "da": """og i at det som en på er af for med til den har de ikke om et han men var
        sig fra så kan man ved eller hun når efter under også skal skulle da alle
        havde nu kun dette disse hans hendes deres vi jeg du mod uden være blev""",
    "no": """og i at det som en på er av for med til den har de ikke om et han men var
        seg fra så kan man ved eller hun når etter under også skal skulle da alle
        hadde nå bare dette disse hans hennes deres vi jeg du mot uten være ble""",
    "fi": """ja on ei se että oli hän ovat kun mutta tai myös niin kuin joka jotka
        sen hänen ole olla ollut voi vain nyt sitten mukaan kanssa jälkeen tämä nämä
        ne me te minä sinä jo vielä kaikki""",
    "pl": """i w na z do że się nie to jest o jak po a co od za przez ale dla jego jej
        ich tak jako są być był była było lub czy tylko już może także oraz który
        która które tym ten ta te przy pod nad przed""",
    "cs": """a v na se je že s z do to o k i jako pro by ale jsou byl byla bylo jeho
        její jejich podle také jen už může který která které tak aby po při ve za
        od než nebo tím ten ta""",
    "ro": """și în de la a cu pe că care nu din o un este sunt fost pentru mai sau ca
        dar se să ce lui ei al ale lor prin după până fi au ar această acest""",
    "hu": """a az és hogy nem is egy van volt meg de ez el csak mint már még ki be
        kell lesz ha azt minden sem vagy pedig után szerint között""",
    "tr": """ve bir bu da de için ile olarak çok daha en gibi ne ama o şu her kadar
        sonra olan olduğu ise değil var yok mi mı ki veya ya""",
    "id": """yang dan di ke dari untuk dengan ini itu pada dalam tidak adalah akan
        juga atau oleh sebagai karena bahwa ada telah sudah bisa mereka kami kita
        saya dia tersebut""",
    "ru": """и в не на что с по как это он она они к из у за от о а но же то так его
        ее её их все был была было были для бы ли уже или только также при этом
        который которые может мы вы я""",
    "uk": """і в не на що з по як це він вона вони до від у за про а але же так його
        її їх все був була було були для би чи вже або тільки також при цьому який
        які може ми ви я""",
}

#: The function words of each language, casefolded.
STOPWORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}

#: Every language's function words together, for lines of a page whose language is unknown.
ALL_STOPWORDS: frozenset[str] = frozenset().union(*STOPWORDS.values())

#: Grammatical particles of scripts written without spaces: their share of a line's
#: characters plays the role that function words play elsewhere (Chinese prose is about
#: 8-12% of these characters; a menu item almost none).
PARTICLES: frozenset[str] = frozenset(
    "的了是在和也有就不都而及与这那之为以于其"  # Chinese
    "のにはをがでとたもしてるからなど"  # Japanese
)
