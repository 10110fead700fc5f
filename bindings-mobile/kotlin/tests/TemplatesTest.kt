package dev.creatorcrm.test

import dev.creatorcrm.ConsentClaim
import dev.creatorcrm.CrmException
import dev.creatorcrm.EmailTemplate
import dev.creatorcrm.MissingPart
import dev.creatorcrm.TemplateReport
import dev.creatorcrm.Templates
import dev.creatorcrm.WelcomeContext
import dev.creatorcrm.knownTemplateVariables
import dev.creatorcrm.sampleWelcomeContext
import dev.creatorcrm.signConsentToken
import dev.creatorcrm.validateEmailTemplate
import dev.creatorcrm.validateSmsTemplate
import dev.creatorcrm.verifyConsentToken
import dev.creatorcrm.welcomeEmailTemplate
import dev.creatorcrm.welcomeSmsTemplate
import org.junit.Test
import java.time.Duration
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** Outreach templates (defaults, validation on save, rendering) and signed consent links. */
class TemplatesTest {
    private val ctx = WelcomeContext(
        brandName = "Acme Beauty",
        communityInviteUrl = "https://discord.gg/acme",
        unsubscribeUrl = "https://crm.example.com/u/t1",
        postalAddress = "Acme Beauty, 100 Main St, Austin, TX 78701",
    )

    @Test
    fun theDefaultWelcomeMessagesRender() {
        val t = Templates()
        assertEquals(
            "Acme Beauty: Hi there, you're in! Join our creator community: https://discord.gg/acme Reply STOP to opt out.",
            t.renderSms("welcome", ctx),
        )
        val email = t.renderEmail("welcome", ctx.copy(firstName = "Ana <3"))
        assertEquals("Welcome to Acme Beauty, Ana <3!", email.subject)
        assertTrue(email.text.startsWith("Hi Ana <3,\n"), email.text)
        assertTrue(email.html.contains("<p>Hi Ana &lt;3,</p>"), email.html)
        // No SMS consent link in the context: no SMS paragraph.
        assertFalse(email.html.contains("Want updates by text?"))
        val withSms = t.renderEmail("welcome", ctx.copy(smsConsentUrl = "https://crm.example.com/c/t2"))
        assertTrue(withSms.text.contains("Confirm here: https://crm.example.com/c/t2"), withSms.text)
        assertEquals(t.renderSms("welcome", ctx), t.renderSmsJson("welcome", """{"brand_name": "Acme Beauty", "community_invite_url": "https://discord.gg/acme", "first_name": null}"""))
        assertTrue(t.previewSms("welcome").startsWith("Acme Beauty: Hi Alex, you're in!"))
        assertEquals("Alex", sampleWelcomeContext().firstName)
        assertTrue(welcomeSmsTemplate().contains("Reply STOP to opt out."))
        assertTrue(validateEmailTemplate(welcomeEmailTemplate()).isOk())
        assertTrue(validateSmsTemplate(welcomeSmsTemplate()).isOk())
    }

    @Test
    fun validationListsUnknownVariablesAndMissingParts() {
        assertEquals(
            TemplateReport(listOf("coupon"), listOf(MissingPart.OptOutText)),
            validateSmsTemplate("{{ brand_name }}: use {{ coupon }}"),
        )
        val report = validateEmailTemplate(EmailTemplate("Hi", "Hello {{ first_name }}", "<p>{{ unsubscribe_url }}</p>"))
        assertEquals(
            listOf(
                MissingPart.UnsubscribeLink("text"),
                MissingPart.PostalAddress("text"),
                MissingPart.PostalAddress("html"),
            ),
            report.missing,
        )
        assertFalse(report.isOk())
        assertEquals(
            listOf("first_name", "brand_name", "community_invite_url", "unsubscribe_url", "postal_address", "sms_consent_url"),
            knownTemplateVariables(),
        )
        assertFailsWith<CrmException.Template> { validateSmsTemplate("{% if %}") }
    }

    @Test
    fun savingChecksAndRenderingIsStrict() {
        val t = Templates()
        val bad = assertFailsWith<CrmException.Template> { t.addSms("promo", "{{ brand_name }}: 20% off today") }
        assertEquals("missing: opt-out text", bad.reason)
        t.addSms("promo", "{{ brand_name }}: 20% off today. Reply STOP to opt out.")
        assertEquals("Acme Beauty: 20% off today. Reply STOP to opt out.", t.renderSms("promo", ctx))
        assertFailsWith<CrmException.Template> { t.renderSms("nope", ctx) }
        assertFailsWith<CrmException.Template> { t.renderEmailJson("welcome", """{"brand_name": "Acme"}""") }
        assertEquals("context", assertFailsWith<CrmException.InvalidInput> { t.renderSmsJson("welcome", "[") }.field)
    }

    @Test
    fun welcomeContextsHideTheirValues() {
        assertFalse(ctx.copy(firstName = "Jane").toString().contains("Jane"))
    }

    @Test
    fun consentLinksRoundTripAndExpire() {
        val key = "a-secret-key-of-32-bytes-or-more".toByteArray()
        val now = Instant.parse("2026-06-01T12:00:00Z")
        val claim = ConsentClaim("acme", "cr_42", "sms-2026-01", now.plus(Duration.ofDays(14)))
        val token = signConsentToken(key, claim)
        assertEquals(claim, verifyConsentToken(key, token, now))
        val expired = assertFailsWith<CrmException.Consent> { verifyConsentToken(key, token, now.plus(Duration.ofDays(14))) }
        assertEquals("expired", expired.reason)
        assertEquals("token", expired.field)
        val other = "another-secret-key-of-32-bytes!!".toByteArray()
        assertEquals("bad signature", assertFailsWith<CrmException.Consent> { verifyConsentToken(other, token, now) }.reason)
        assertEquals("malformed", assertFailsWith<CrmException.Consent> { verifyConsentToken(key, "nodot", now) }.reason)
        assertEquals("key", assertFailsWith<CrmException.Consent> { signConsentToken("short".toByteArray(), claim) }.field)
    }
}
