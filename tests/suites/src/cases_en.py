# ruff: noqa: E501 - hand-written comment texts read better unwrapped
"""English suite: hand-written reader comments for a Kurdistan Region news site."""

from suite_common import c

CASES = [
    # --- profanity, plain
    c("profanity_plain", "profanity", "What the fuck is Baghdad doing with our salaries again?",
      "budget"),
    c("profanity_plain", "profanity", "Two months without pay. This is bullshit.", "budget"),
    c("profanity_plain", "profanity", "Holy shit that free kick in the 89th minute!!", "football"),
    c("profanity_plain", "profanity", "Same damn excuses every year, fuck this.", "drought"),
    c("profanity_plain", "profanity", "so fucking tired of having no water in our street for 4 days",
      "drought"),
    c("profanity_plain", "profanity", "fucking hell the referee was blind tonight", "football"),
    # --- profanity, obfuscated
    c("profanity_obfuscated", "profanity", "f u c k these endless negotiations", "budget"),
    c("profanity_obfuscated", "profanity", "what a load of sh1t, nobody believes this"),
    c("profanity_obfuscated", "profanity", "fuuuuuuck another drone, when does it end", "drone"),
    c("profanity_obfuscated", "profanity", "b.u.l.l.s.h.i.t. from start to finish"),
    c("profanity_obfuscated", "profanity", "ƒцck the commission and its new date", "election"),
    c("profanity_obfuscated", "profanity", "this is f*cking ridiculous", "budget"),
    c("profanity_obfuscated", "profanity", "sh!t referee, sh!t pitch, sh!t league", "football"),
    # --- vulgarity
    c("vulgarity", "vulgarity", "the match was so boring I sat scratching my balls for 90 minutes",
      "football"),
    c("vulgarity", "vulgarity", "send me nudes and I'll tell you who wins the election",
      "election"),
    c("vulgarity", "vulgarity", "Those politicians only think with their balls and their wallets"),
    c("vulgarity", "vulgarity", "I'd rather wipe my arse with the budget law than read it",
      "budget"),
    c("vulgarity", "vulgarity", "I'd rather watch porn than sit through five days of this festival", "festival"),
    # --- threats
    c("threat_direct", "threat", "I know where you live, journalist. You will pay for this."),
    c("threat_direct", "threat", "Someone should put a bullet in that referee's head", "football"),
    c("threat_direct", "threat", "We will burn your office down with you inside it"),
    c("threat_direct", "threat racism", "All Kurds in Baghdad should be killed, every one of them",
      target="kurds"),
    c("threat_conditional", "threat", "Write one more lie about us and you won't see next week"),
    c("threat_conditional", "threat",
      "If the commission delays again we will come with guns, not ballots", "election"),
    c("threat_conditional", "threat", "Touch our votes and we will slaughter you all", "election"),
    c("threat_veiled", "threat", "Nice family you have. Would be a shame if something happened "
      "to them."),
    c("threat_veiled", "threat", "Keep writing, we are counting your days."),
    c("threat_veiled", "threat", "The author should check under his car before driving tomorrow"),
    c("threat_veiled", "threat",
      "Remember what happened to the last reporter who wrote like this."),
    # --- personal attacks
    c("attack_reader", "personal_attack", "@Hawre you are a brainless idiot, go back to school"),
    c("attack_reader", "personal_attack",
      "Only a moron like the guy above could believe Baghdad will pay", "budget"),
    c("attack_reader", "personal_attack profanity", "shut up you stupid piece of shit"),
    c("attack_reader", "personal_attack", "Karwan your comments are as ugly as your face"),
    c("attack_journalist", "personal_attack",
      "The journalist who wrote this is a paid liar and a clown"),
    c("attack_journalist", "personal_attack",
      "Whoever wrote this article is too stupid to count to three", "football"),
    c("attack_journalist", "personal_attack", "The reporter is a spineless sellout scumbag",
      "drone"),
    c("attack_named", "personal_attack", "The minister of water is a useless fat pig", "drought"),
    c("attack_named", "personal_attack",
      "That coach is a senile old fool who should be in a care home", "football"),
    c("attack_named", "personal_attack",
      "The commission chairman is a lying rat and a coward", "election"),
    # --- sexism
    c("sexism", "sexism", "Women belong in the kitchen, not in parliament", "election",
      target="women"),
    c("sexism", "sexism",
      "A female minister? No wonder there is no water, women can't manage anything",
      "drought", target="women"),
    c("sexism", "sexism", "Women journalists should be seen and not heard", target="women"),
    c("sexism", "sexism personal_attack",
      "She only got on the list because she slept with the party boss", "election",
      target="women"),
    c("sexism", "sexism", "girls shouldn't be allowed in stadiums, they only distract the men",
      "football", target="women"),
    # --- racism: ethnic and religious/sectarian
    c("racism_ethnic", "racism", "Arabs are all thieves, they will never give us our money",
      "budget", target="arabs"),
    c("racism_ethnic", "racism", "Kurds are mountain rats who breed like animals",
      target="kurds"),
    c("racism_ethnic", "racism", "Turks are barbarians, always were and always will be",
      target="turks"),
    c("racism_ethnic", "racism", "Persians are snakes, never trust a Persian",
      target="persians"),
    c("racism_religious", "racism", "Shia are Iranian dogs, every one of them", "drone",
      target="shia"),
    c("racism_religious", "racism", "Sunnis are all terrorists and ISIS in disguise",
      target="sunni"),
    c("racism_religious", "racism", "Yazidis are devil worshippers and filthy people",
      target="yazidis"),
    c("racism_religious", "racism", "Christians should pay jizya or leave our land",
      target="christians"),
    c("racism_religious", "racism",
      "The Jews control the banks and this whole budget crisis", "budget", target="jews"),
    # --- homophobia
    c("homophobia", "homophobia", "Gays are a disease and should be locked up",
      target="gay_people"),
    c("homophobia", "homophobia personal_attack", "that actor is a faggot, ban his film from the festival",
      "festival", target="gay_people"),
    c("homophobia", "homophobia", "Homosexuality is a western perversion, no queers in Kurdistan",
      target="gay_people"),
    c("homophobia", "homophobia", "the defenders played like a bunch of homos", "football",
      target="gay_people"),
    # --- xenophobia
    c("xenophobia", "xenophobia", "Kick all the Syrian refugees out, they steal our water",
      "drought", target="refugees"),
    c("xenophobia", "xenophobia", "Foreigners are parasites living on our salaries",
      "budget", target="foreigners"),
    c("xenophobia", "xenophobia", "Afghan migrants bring only crime and disease",
      target="afghans"),
    c("xenophobia", "xenophobia",
      "No more foreign workers, Bangladeshis are dirty and should go home", target="foreigners"),
    # --- promotion
    c("promotion_phone", "promotion", "Cheap generators and water tanks, call 0750 123 4567",
      "drought"),
    c("promotion_phone", "promotion", "Best loans for government employees, WhatsApp +964 770 555 "
      "2233", "budget"),
    c("promotion_social", "promotion", "Follow @erbil_deals on Instagram for 50% off phones"),
    c("promotion_social", "promotion", "Join our Telegram t.me/freebetsKRD for sure football tips",
      "football"),
    c("promotion_crypto", "promotion",
      "Salaries late? I earn $500 a day with Bitcoin trading, DM me to learn how", "budget"),
    c("promotion_crypto", "promotion", "USDT investment, 20% weekly profit guaranteed, contact me"),
    c("promotion_visa", "promotion",
      "Schengen visa in 10 days, no bank statement needed, call 0751 987 6543"),
    c("promotion_visa", "promotion", "Work visa to Germany and UK, 100% guaranteed, message us"),
    c("promotion_channel", "promotion",
      "Subscribe to my YouTube channel for the full match highlights!!", "football"),
    c("promotion_channel", "promotion", "pls subscribe to my channel and like, I post daily vlogs"),
    c("promotion_shop", "promotion", "Original perfumes at half price: www.erbilperfume-shop.com"),
    c("promotion_shop", "promotion", "Festival outfits delivered in 24h, order at shopkrd.store",
      "festival"),
    # --- off-topic
    c("off_topic", "off_topic", "Does anyone know a good dentist in Sulaymaniyah?", "football"),
    c("off_topic", "off_topic", "My cat had kittens yesterday, so happy", "budget"),
    c("off_topic", "off_topic", "What is the best phone under 300 dollars?", "drone"),
    c("off_topic", "off_topic", "Real Madrid will win the Champions League this year", "drought"),
    c("off_topic", "off_topic", "recipe for dolma anyone? my mother's tasted better", "election"),
    # --- hard negatives: harsh criticism
    c("criticism_government", "", "This government is corrupt and incompetent, and has been for "
      "twenty years.", "budget"),
    c("criticism_government", "", "Baghdad is using our salaries as a political weapon. Shameful.",
      "budget"),
    c("criticism_government", "", "The ministry had years to build dams and did nothing. "
      "Criminal negligence.", "drought"),
    c("criticism_militia", "", "These militias are a cancer on Iraq and answer to Tehran, not to "
      "Iraqis.", "drone"),
    c("criticism_militia", "", "The armed factions behind these drones must be disarmed and "
      "prosecuted.", "drone"),
    c("criticism_party", "", "Both ruling parties have robbed this region blind. Vote them out.",
      "election"),
    c("criticism_party", "", "The opposition is no better, full of empty promises and "
      "opportunists.", "election"),
    c("criticism_outlet", "", "This outlet is a mouthpiece of the ruling party, terrible "
      "journalism."),
    c("criticism_outlet", "", "Your reporting on the drought is lazy and one-sided. Do better.",
      "drought"),
    c("criticism_outlet", "", "Biased headline. You didn't even ask the farmers.", "drought"),
    # --- hard negatives: neutral or positive mentions of identities
    c("identity_neutral", "", "As a Kurd I'm proud that the festival had Arabic and Persian poetry "
      "too.", "festival", target="kurds"),
    c("identity_neutral", "", "Arab fans from Mosul came to support Erbil, respect to them.",
      "football", target="arabs"),
    c("identity_neutral", "", "Many Turks I met in Istanbul were very kind to us.",
      target="turks"),
    c("identity_neutral", "", "Persian poetry is beautiful, Hafez was a highlight.", "festival",
      target="persians"),
    c("identity_neutral", "", "Shia and Sunni neighbours in my street helped each other during "
      "the war.", target="shia"),
    c("identity_neutral", "", "The Sunni Endowment also condemned the attack.", "drone",
      target="sunni"),
    c("identity_neutral", "", "Yazidi survivors deserve justice and a safe return to Sinjar.",
      target="yazidis"),
    c("identity_neutral", "", "Christian candidates from Ankawa should keep their quota seats.",
      "election", target="christians"),
    c("identity_neutral", "", "There were Jews in Kurdistan for centuries; that history should be "
      "taught.", target="jews"),
    c("identity_neutral", "", "More women on the lists is good news for Kurdish politics.",
      "election", target="women"),
    c("identity_neutral", "", "Gay people in the region live in fear; that is worth reporting on.",
      target="gay_people"),
    c("identity_neutral", "", "Syrian refugees in Domiz camp are also suffering from the water "
      "cuts.", "drought", target="refugees"),
    # --- hard negatives: reported or quoted threats
    c("threat_reported", "", "The militia threatened to strike again if US troops don't leave.",
      "drone"),
    c("threat_reported", "", "He said on TV 'we will burn them', and nobody arrested him. "
      "Disgraceful.", "drone"),
    c("threat_reported", "", "The article says the faction warned of 'more painful attacks'. "
      "Who are they?", "drone"),
    c("threat_reported", "", "Fans chanted 'we will kill you' at the referee; the league should "
      "fine the club.", "football"),
    c("threat_reported", "", "Police say the journalist received death threats last month.",),
    # --- hard negatives: news vocabulary about violence
    c("news_violence", "", "The drone attack killed no one at Erbil but a contractor was wounded "
      "in Anbar.", "drone"),
    c("news_violence", "", "Casualty figures from the 2022 shelling are still not published.",
      "drone"),
    c("news_violence", "", "Is this the third attack on the airport this month? The bombing "
      "campaign is escalating.", "drone"),
    c("news_violence", "", "ISIS massacred thousands of Yazidis in 2014; the genocide must be "
      "remembered.", target="yazidis"),
    c("news_violence", "", "Two red cards and a stabbing outside the stadium? Awful night.",
      "football"),
    # --- hard negatives: Scunthorpe
    c("scunthorpe", "", "I lived in Scunthorpe for years; English towns also ration water in dry "
      "summers.", "drought"),
    c("scunthorpe", "", "Essex and Middlesex councils solved drought with rainwater tanks.",
      "drought"),
    c("scunthorpe", "", "The cocktail of bad decisions in the assessment report is remarkable.",
      "budget"),
    c("scunthorpe", "", "Dick Advocaat once coached Iraq, maybe we need someone like him.",
      "football"),
    c("scunthorpe", "", "Mushroom farms near Koya grow shiitake, they need very little water.",
      "drought"),
    c("scunthorpe", "", "Pilots said the cockpit warning went off at Erbil airport as the drones "
      "approached.", "drone"),
    # --- hard negatives: links as evidence
    c("link_evidence", "", "Full commission statement here: https://ihec.iq/news - the date is "
      "official.", "election"),
    c("link_evidence", "", "Reuters had the same story: https://www.reuters.com/world/middle-east/",
      "drone"),
    c("link_evidence", "", "The KRG statement is on gov.krd, read it before commenting.",
      "budget"),
    c("link_evidence", "", "UN report on Iraq's water crisis: https://www.unicef.org/iraq",
      "drought"),
    # --- hard negatives: counter-speech
    c("counter_speech", "", "Calling Arabs 'thieves' like the guy above is racist. Criticise "
      "Baghdad, not a whole people.", "budget", target="arabs"),
    c("counter_speech", "", "Stop using 'faggot' as an insult in these comments, it is "
      "disgusting.", target="gay_people"),
    c("counter_speech", "", "Saying Yazidis are 'devil worshippers' is exactly the lie ISIS used "
      "to justify genocide.", target="yazidis"),
    c("counter_speech", "", "People who write 'women belong in the kitchen' should look at our "
      "female Peshmerga.", target="women"),
    # --- hard negatives: short on-topic reactions
    c("on_topic_short", "", "What a comeback!!", "football"),
    c("on_topic_short", "", "Finally a date. Let's vote.", "election"),
    c("on_topic_short", "", "Pay the salaries.", "budget"),
    c("on_topic_short", "", "Pray for rain 🙏", "drought"),
    c("on_topic_short", "", "Stay safe Erbil", "drone"),
    c("on_topic_short", "", "Beautiful event, going tomorrow", "festival"),
    # --- ordinary clean comments
    c("clean_comment", "", "I hope both sides compromise this time; the employees have suffered "
      "enough.", "budget"),
    c("clean_comment", "", "Does anyone know if the festival films will have English subtitles?",
      "festival"),
    c("clean_comment", "", "We should learn drip irrigation from other countries instead of "
      "blaming the weather.", "drought"),
    c("clean_comment", "", "Good game but the fans throwing bottles spoil the reputation of "
      "our city.", "football"),
    c("clean_comment", "", "I disagree with the article: turnout will be higher than people "
      "expect.", "election"),
    c("clean_comment", "", "Thanks for the clear explanation of the SOMO issue.", "budget"),
    c("clean_comment", "", "Where can I check if my name is on the voter register?", "election"),
    c("clean_comment", "", "Air defence at the airport needs to be upgraded, this keeps "
      "happening.", "drone"),
    c("clean_comment", "", "the goalkeeper was excellent in the second half", "football"),
    c("clean_comment", "", "My grandfather says Dukan was this low in the 1980s as well.",
      "drought"),
    # --- more hard negatives and ordinary comments (appended; ids above stay stable)
    c("criticism_government", "", "The KRG and Baghdad are equally to blame; both lied to us for "
      "years.", "budget"),
    c("criticism_government", "", "Shameful failure by the water ministry. Someone should resign "
      "today.", "drought"),
    c("criticism_militia", "", "Kataib Hezbollah and their friends are destroying what is left of "
      "Iraq's sovereignty.", "drone"),
    c("criticism_party", "", "The KDP and PUK care about their shares of oil money, not about "
      "teachers.", "budget"),
    c("criticism_outlet", "", "Why does this site never report on corruption in the ruling "
      "family? A cowardly editorial line."),
    c("criticism_government", "", "Parliament is a circus, they cannot even agree on a date.",
      "election"),
    c("identity_neutral", "", "Turkmen and Arab voters in Kirkuk also matter in this debate.",
      "election", target="turkmen"),
    c("identity_neutral", "", "A Jewish delegation visited the festival last year and nobody "
      "complained.", "festival", target="jews"),
    c("identity_neutral", "", "The women's national team deserves the same coverage as the men.",
      "football", target="women"),
    c("identity_neutral", "", "Shia clerics in Najaf also called for calm after the attack.",
      "drone", target="shia"),
    c("identity_neutral", "", "Is it true a gay film director's short was shown at Galawezh? "
      "Good for them.", "festival", target="gay_people"),
    c("threat_reported", "", "Last year the same group threatened journalists who covered the "
      "attacks.", "drone"),
    c("news_violence", "", "The explosion was heard across Ankawa; how many were injured?",
      "drone"),
    c("news_violence", "", "Farmers say drought is killing their livestock, that is a real "
      "disaster.", "drought"),
    c("scunthorpe", "", "The title of this article is fine but the subtitle repeats it.",),
    c("scunthorpe", "", "Cumulative rainfall is down 40% according to the met office.",
      "drought"),
    c("link_evidence", "", "Compare with the budget law text: https://parliament.iq/ (article 14)",
      "budget"),
    c("counter_speech", "", "No, Kurds are not 'mountain rats'. Racist comments like that "
      "should be deleted.", target="kurds"),
    c("on_topic_short", "", "Great header from Saad!", "football"),
    c("on_topic_short", "", "No salaries, no votes.", "election"),
    c("clean_comment", "", "Is there a bus from Erbil to the festival in Sulaymaniyah?",
      "festival"),
    c("clean_comment", "", "I think the region should sell oil through SOMO if that ends the "
      "crisis.", "budget"),
    c("clean_comment", "", "Who scored the winning goal? The article doesn't say.", "football"),
    c("clean_comment", "", "Thank you to the firefighters and the security forces at the "
      "airport.", "drone"),
    c("clean_comment", "", "Good article, please follow up with the farmers in Sharazur.",
      "drought"),
    c("clean_comment", "", "Honestly I am not going to vote, nothing changes.", "election"),
    # --- second batch: thin categories, invisible-character and homoglyph obfuscation,
    # negation, code-switching (appended; ids above stay stable)
    c("profanity_obfuscated", "profanity", "fu\u200bck this budget and everyone who wrote it", "budget"),
    c("profanity_obfuscated", "profanity", "what a load of ѕhіt from the ministry again", "drought"),
    c("vulgarity", "vulgarity", "they are screwing us harder than in a porno, these negotiations", "budget"),
    c("threat_veiled", "threat", "People who write like you tend to disappear. Just saying."),
    c("sexism", "sexism", "Women can't run a football club, leave it to the men", "football", target="women"),
    c("sexism", "sexism", "Girls should not be allowed at the festival without a male guardian", "festival", target="women"),
    c("homophobia", "homophobia", "Gay people are sick perverts who corrupt our children", target="gay_people"),
    c("homophobia", "homophobia", "no h0mos at our festival pls, keep it clean", "festival", target="gay_people"),
    c("xenophobia", "xenophobia", "Iraq for Iraqis, send every foreigner back where they came from", target="foreigners"),
    c("xenophobia", "xenophobia", "Syrians took our jobs and now our water, deport them all", "drought", target="syrians"),
    c("off_topic", "off_topic", "How do I renew my passport in Erbil? The website never works", "football"),
    c("off_topic", "off_topic", "Happy birthday to my brother Aso!! 🎂", "drought"),
    c("negation", "", "Not all Arabs are thieves, the problem is the politicians in Baghdad.", "budget", target="arabs"),
    c("negation", "", "I don't think gay people are a disease, and I'm tired of these comments.", target="gay_people"),
    c("negation", "", "Nobody should kill or threaten anyone over a football match.", "football"),
    c("negation", "", "Women are not too emotional for politics; look at the last minister of education.", "election", target="women"),
    c("clean_comment", "", "inshallah the salaries come before Eid, wallah people are broke", "budget"),
    c("clean_comment", "", "lol the ref tho 😂 but well deserved win", "football"),
    c("on_topic_short", "", "Dukan looks like a desert now 😢", "drought"),
    c("identity_neutral", "", "My Christian neighbours in Ankawa brought us water when our tank was empty.", "drought", target="christians"),
    c("criticism_militia", "", "Whoever fires these drones is a coward hiding behind the state. Arrest them.", "drone"),
    c("clean_comment", "", "Thx for the update, any news on whether flights at Erbil airport are delayed?", "drone"),
    # --- third batch: longer comments where one sentence decides (appended; ids stable)
    c("attack_named", "personal_attack", "I have followed the budget talks for years and the pattern never changes: Baghdad delays, Erbil promises, and teachers wait. Both sides share the blame. But the finance minister is a lying, brainless parasite and should be ashamed to show his face.", "budget"),
    c("promotion_phone", "promotion", "Dukan has been low before, in 2008 too, and the ministry should have built storage since then. The real problem is wasted water in agriculture. Anyway if you need a water tank or pump installed quickly call us 0750 765 4321, cheapest in Slemani.", "drought"),
    c("threat_veiled", "threat", "Interesting article, but the writer forgets who runs this city. He mentions names he should not mention. We read everything he publishes, and we know his car. Let him keep writing and see.", "drone"),
    c("criticism_government", "", "Every time a drone hits the airport the government issues the same statement, condemns, promises an investigation, and nothing follows. Nobody has been arrested for the last five attacks. Either they cannot protect us or they do not want to. Both are unacceptable.", "drone"),
    c("counter_speech", "", "I am tired of reading comments here that call Arabs 'animals' or Kurds 'traitors' every time there is a political dispute. The people of Mosul and the people of Duhok pay for the same bad politics. Blame the politicians by name, not whole peoples.", "budget", target="arabs"),
    c("racism_ethnic", "racism", "The festival was well organised and the films were good, I admit. But why invite Persian poets at all? Persians are liars by nature and have always stolen from us, they should stay in their own country.", "festival", target="persians"),
    # --- fourth batch: words that are insults in another of the six languages (appended)
    c("scunthorpe", "", "The Kirkuk oil fields are the key to any budget deal with Baghdad.", "budget"),
    c("scunthorpe", "", "Amed SK fans should come to the next Erbil match, the derby atmosphere was great.", "football"),
]
