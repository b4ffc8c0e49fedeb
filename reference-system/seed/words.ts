/**
 * The vocabulary of generated text, most frequent first: the order is the Zipf rank, so the first
 * words appear in most posts (broad search terms) and the last ones in about one post in a
 * thousand (selective terms). Content words only, none of Postgres' English stop words, each with
 * its own stem, so a full-text query for one word matches exactly the posts that contain it.
 * Lower-case a-z only, which also keeps COPY text free of characters that need escaping.
 */
export const WORDS: readonly string[] = `
time people year day world life work home family friend city music game team coffee water food
photo weekend morning night week house school story book movie phone car road dog evening
summer winter travel street garden kitchen office market river mountain beach park island forest
coast valley bridge station window door table chair camera guitar piano song album concert
festival party dinner lunch breakfast pizza burger salad pasta bread cheese chocolate cake cookie
tea juice wine beer sandwich soup rice noodle curry taco sushi steak chicken apple banana orange
lemon strawberry cherry peach mango tomato potato carrot onion garlic pepper spice sugar honey
butter cream milk yogurt cereal snack dessert recipe cook bake grill roast fry boil
run walk swim climb hike bike drive fly sail ride dance sing play paint draw write read learn
teach study watch listen build fix clean plant grow visit explore discover share post laugh smile
happy great good nice amazing awesome beautiful lovely wonderful perfect fun quiet busy lazy tired
excited proud grateful calm bright dark warm cold hot sunny rainy windy snowy cloudy fresh sweet
bitter salty spicy crispy juicy smooth soft loud fast slow early late young ancient modern classic
simple strange funny weird clever brave honest gentle kind rough wild green blue purple yellow
silver golden black white pink brown gray colorful tiny huge giant little heavy light empty full
project meeting deadline email report budget client design product feature release update version
server database query cache network cloud code bug test deploy laptop keyboard screen monitor
mouse printer router battery charger cable headphone speaker microphone podcast video channel
stream episode season series trailer ticket seat stage theater museum gallery library castle
temple church tower palace harbor airport train plane ship boat truck bus taxi subway highway
tunnel hill lake ocean desert jungle meadow field farm barn fence path trail cliff cave canyon
glacier volcano storm thunder lightning rainbow sunset sunrise moon star planet galaxy comet
rocket satellite telescope science physics chemistry biology history geography language poetry
novel chapter author poet painter artist musician singer dancer actor director producer chef
baker farmer doctor nurse teacher student engineer pilot driver sailor soldier lawyer judge
banker trader writer editor journalist photographer architect developer manager founder neighbor
cousin uncle aunt grandma grandpa baby puppy kitten horse cow sheep goat pig rabbit turtle
parrot eagle owl dolphin whale shark octopus crab lobster salmon tuna butterfly bee spider
flower rose tulip daisy lily orchid cactus fern maple oak pine willow bamboo moss mushroom
pumpkin melon grape kiwi plum pear fig olive almond walnut peanut cashew coconut vanilla
cinnamon ginger basil mint thyme parsley saffron paprika mustard ketchup mayo vinegar pickle
jam waffle pancake muffin donut croissant bagel pretzel popcorn candy lollipop marshmallow
sneaker boot sandal jacket sweater scarf glove hat helmet backpack wallet brooch necklace ring
bracelet earring sunglasses umbrella blanket pillow mattress sofa lamp candle mirror carpet
curtain shelf drawer closet basement attic balcony porch roof chimney ladder hammer wrench
drill saw nail screw glue tape chisel brush canvas sketch pencil marker notebook diary calendar
clock puzzle chess poker dice card marble kite balloon trophy medal prize contest tournament
league champion victory defeat goal score match coach referee stadium arena court pitch racket
skate ski surf yoga karate boxing wrestling marathon sprint relay jogging fitness workout gym
muscle protein vitamin diet sleep dream nightmare memory thought idea plan wish hope fear anger
joy peace freedom justice truth wisdom courage patience gratitude honesty loyalty curiosity
adventure journey voyage expedition quest mystery secret riddle legend myth fable saga epic
dragon unicorn wizard witch ghost vampire zombie robot alien pirate ninja knight princess
kingdom empire republic nation village town suburb downtown avenue boulevard alley plaza square
fountain statue monument lighthouse windmill factory warehouse workshop studio laboratory
observatory greenhouse vineyard orchard pasture ranch cottage cabin mansion villa apartment
hostel hotel motel resort spa sauna pool jacuzzi hammock tent campfire lantern compass map
passport luggage suitcase souvenir postcard stamp envelope parcel courier delivery receipt
invoice contract lease mortgage pension salary bonus tax refund discount coupon bargain auction
antique vintage retro futuristic minimalist rustic cozy elegant fancy shabby quirky whimsical
nostalgic melancholy serene vibrant mellow gloomy cheerful grumpy sleepy hungry thirsty dizzy
nervous anxious curious jealous generous stubborn humble clumsy graceful fearless reckless
careful pensive mindful frisky fierce loyal noble humorous witty sarcastic dramatic
enigmatic magical mythical legendary majestic heroic tragic comic absurd surreal bizarre uncanny
zucchini eggplant broccoli cauliflower spinach lettuce cabbage celery asparagus artichoke
radish turnip beetroot rhubarb quince persimmon lychee papaya guava passionfruit pomegranate
kumquat tangerine grapefruit cantaloupe blueberry raspberry blackberry cranberry gooseberry
elderberry mulberry boysenberry huckleberry loganberry cloudberry lingonberry bilberry
saxophone trombone clarinet oboe bassoon harp cello viola ukulele banjo mandolin accordion
harmonica xylophone tambourine bagpipe didgeridoo sitar theremin glockenspiel harpsichord
`
  .trim()
  .split(/\s+/);

/** Stop words the sentences use as glue; Postgres' English configuration ignores them. */
export const GLUE_WORDS: readonly string[] = ['the', 'a', 'and', 'of', 'with', 'to', 'in', 'for', 'my', 'our', 'this', 'at', 'on', 'so', 'very'];

export const FIRST_NAMES: readonly string[] = `
alex sam jordan taylor morgan casey riley jamie avery quinn charlie drew emery finley harper
hayden jesse kai logan parker reese rowan sage skyler blake cameron dakota eden ellis frankie
gray indigo jules kendall lane marley noel oakley peyton remy river robin sasha shay sidney
tatum toby val wren ada ben cleo dan eva felix gus hana ivan jade kim leo mia nina omar pia
raj sara tom uma vic will xena yuri zoe
`
  .trim()
  .split(/\s+/);

export const LAST_NAMES: readonly string[] = `
smith jones brown garcia miller davis wilson moore taylor anderson thomas jackson white harris
martin thompson lopez lee walker hall allen young king wright scott green baker adams nelson
hill campbell mitchell roberts carter phillips evans turner torres parker collins edwards
stewart morris murphy cook rogers morgan cooper peterson reed bailey bell kelly howard ward
cox diaz richardson wood watson brooks bennett gray james hughes price sanders myers long ross
foster powell jenkins perry russell sullivan fisher henderson coleman simmons patterson
`
  .trim()
  .split(/\s+/);
